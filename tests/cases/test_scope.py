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


# ---------------------------------------------------------------------------
# Per-case grants through groups, change-only grants, and what never counts
# ---------------------------------------------------------------------------
@pytest.fixture
def task_force(outsider):
    """A group the outsider belongs to (e.g. a joint investigation team), with no role of its own."""
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="task-force")
    outsider.groups.add(group)
    return group


def test_a_group_grant_gives_read_access_to_that_case_only(client_for, outsider, owner, case, task_force):
    from guardian.shortcuts import assign_perm

    assign_perm("view_case", task_force, case)
    second = CaseFactory(created_by=owner)
    client = client_for(outsider)

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[second.pk])).status_code == 404
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 404
    listed = client.get(reverse("cases:list")).content.decode()
    assert case.number in listed
    assert second.number not in listed


def test_a_group_change_grant_lets_its_members_edit_that_case(client_for, outsider, owner, case, task_force):
    from guardian.shortcuts import assign_perm

    assign_perm("change_case", task_force, case)
    client = client_for(outsider)

    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_a_group_grant_does_not_reach_who_left_the_group(client_for, outsider, owner, case, task_force):
    from guardian.shortcuts import assign_perm

    assign_perm("view_case", task_force, case)
    outsider.groups.remove(task_force)

    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_change_only_grant_gives_read_and_edit_access(client_for, outsider, owner, case):
    from guardian.shortcuts import assign_perm

    assign_perm("change_case", outsider, case)
    client = client_for(outsider)

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 200
    assert case.number in client.get(reverse("cases:list")).content.decode()


def test_a_read_grant_through_a_group_and_a_change_grant_of_another_case_stay_apart(
    client_for, outsider, owner, case, task_force
):
    from guardian.shortcuts import assign_perm

    second = CaseFactory(created_by=owner)
    assign_perm("view_case", task_force, case)
    assign_perm("change_case", outsider, second)
    client = client_for(outsider)

    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:edit", args=[second.pk])).status_code == 200


def test_a_grant_of_another_permission_gives_no_access(client_for, outsider, owner, case, task_force):
    from guardian.shortcuts import assign_perm

    assign_perm("delete_case", outsider, case)
    assign_perm("delete_case", task_force, case)

    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_model_wide_permission_of_a_group_does_not_expose_every_case(client_for, outsider, case, task_force):
    from django.contrib.auth.models import Permission

    task_force.permissions.add(
        Permission.objects.get(codename="view_case"), Permission.objects.get(codename="change_case")
    )

    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert case.number not in client_for(outsider).get(reverse("cases:list")).content.decode()


def test_a_deactivated_officer_sees_nothing_even_with_grants(outsider, owner, case, task_force):
    from guardian.shortcuts import assign_perm

    from cases.selectors import case_list_editable_by, case_list_visible_to

    assign_perm("change_case", outsider, case)
    assign_perm("view_case", task_force, case)
    outsider.is_active = False
    outsider.save()

    assert not case_list_visible_to(user=outsider).exists()
    assert not case_list_editable_by(user=outsider).exists()


def test_a_superuser_sees_and_may_change_every_case(owner, case, ministry):
    from cases.selectors import case_list_editable_by, case_list_visible_to
    from tests.factories import UserFactory

    admin = UserFactory(unit=None, is_superuser=True)
    other = CaseFactory()

    assert set(case_list_visible_to(user=admin)) == {case, other}
    assert set(case_list_editable_by(user=admin)) == {case, other}


def test_an_anonymous_visitor_sees_nothing(case):
    from django.contrib.auth.models import AnonymousUser

    from cases.selectors import case_list_editable_by, case_list_visible_to

    assert not case_list_visible_to(user=AnonymousUser()).exists()
    assert not case_list_editable_by(user=AnonymousUser()).exists()


def test_the_oblast_head_lists_every_case_below_but_none_elsewhere(oblast_head, owner, outsider, far_district):
    from cases.selectors import case_list_visible_to
    from tests.factories import UnitFactory, UserFactory

    # given a unit two levels below the oblast, and a district of another oblast
    post = UnitFactory(parent=owner.unit, kind="district")
    deep = CaseFactory(created_by=UserFactory(unit=post, roles=["inspector"]))
    mine, theirs = CaseFactory(created_by=owner), CaseFactory(created_by=outsider)
    far = CaseFactory(created_by=UserFactory(unit=far_district, roles=["inspector"]))

    visible = set(case_list_visible_to(user=oblast_head))

    assert {mine, theirs, deep} <= visible
    assert far not in visible
