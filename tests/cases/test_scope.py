"""Who sees which case: unit, role and per-case grants; a foreign case answers 404."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import PersonalDataAccess
from tests.factories import CaseFactory, VictimFactory

pytestmark = pytest.mark.django_db


def test_owner_sees_own_case(client_for, owner, case):
    response = client_for(owner).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200


def test_other_district_officer_gets_404(client_for, outsider, case):
    response = client_for(outsider).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 404


def test_unassigned_inspector_of_same_district_gets_404(client_for, colleague, case):
    response = client_for(colleague).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 404


def test_duty_officer_of_same_district_sees_case(client_for, duty_officer, case):
    assert client_for(duty_officer).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_oblast_head_sees_cases_of_its_districts(client_for, oblast_head, case, outsider):
    other = CaseFactory(created_by=outsider)
    response = client_for(oblast_head).get(reverse("cases:list"))
    assert case.number in response.content.decode()
    assert other.number in response.content.decode()


def test_oblast_head_does_not_see_another_oblast(client_for, oblast_head, far_district):
    from tests.factories import UserFactory

    far_case = CaseFactory(created_by=UserFactory(unit=far_district, roles=["inspector"]))
    assert client_for(oblast_head).get(reverse("cases:detail", args=[far_case.pk])).status_code == 404


def test_district_supervisor_does_not_see_sibling_district(client_for, supervisor, outsider):
    other = CaseFactory(created_by=outsider)
    assert client_for(supervisor).get(reverse("cases:detail", args=[other.pk])).status_code == 404


def test_model_wide_view_permission_does_not_expose_every_case(client_for, outsider, case):
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="view_case"))
    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_per_case_grant_gives_read_access_to_that_case_only(client_for, outsider, owner, case):
    services.case_grant_access(case=case, grantee=outsider, actor=owner)
    second = CaseFactory(created_by=owner)
    client = client_for(outsider)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[second.pk])).status_code == 404
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 404


def test_opening_a_victims_page_writes_exactly_one_access_log_row(client_for, owner, case):
    victim = VictimFactory(case=case)
    response = client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk]))
    assert response.status_code == 200
    rows = list(PersonalDataAccess.objects.all())
    assert len(rows) == 1
    assert (rows[0].user, rows[0].record_id, rows[0].action) == (owner, str(victim.pk), "view")
    assert "no-store" in response["Cache-Control"]
