"""The head's print queue: the rapports of the head's units waiting for approval or printing, due immediately first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Rapport
from reports.selectors import rapport_queue_for
from tests.factories import CaseFactory, UserFactory

from .conftest import complete, screen

pytestmark = pytest.mark.django_db
QUEUE = reverse("reports:print_queue")


def _submitted(case, officer):
    rapport = complete(services.rapport_start(case=case, actor=officer), officer)
    return services.rapport_submit(rapport=rapport, actor=officer)


@pytest.fixture
def ordinary(screened_case, owner):
    return _submitted(screened_case, owner)


@pytest.fixture
def urgent(district, supervisor):
    officer = UserFactory(unit=district, roles=["inspector"])
    case = CaseFactory(created_by=officer, incident_place="Ош")
    screen(case, officer, violence_against_women=True)
    return _submitted(case, officer)


def test_the_head_sees_submitted_rapports_with_those_due_immediately_first(ordinary, urgent, supervisor, client_for):
    response = client_for(supervisor).get(QUEUE)

    assert response.status_code == 200
    assert [r.pk for r in response.context["rapports"]] == [urgent.pk, ordinary.pk]
    assert response.context["rapports"][0].due_immediately == 1
    page = response.content.decode()
    assert reverse("reports:rapport", args=[ordinary.case_id]) in page
    assert page.index(urgent.case.number) < page.index(ordinary.case.number)


def test_the_head_of_the_oblast_sees_the_districts_below(ordinary, oblast_head):
    assert list(rapport_queue_for(user=oblast_head)) == [ordinary]


def test_the_head_of_another_district_sees_nothing_of_them(ordinary, other_head, client_for):
    response = client_for(other_head).get(QUEUE)

    assert response.status_code == 200 and response.context["rapports"] == []


def test_approved_and_registered_rapports_stay_until_printed(ordinary, supervisor):
    approved = services.rapport_approve(rapport=ordinary, actor=supervisor)
    assert list(rapport_queue_for(user=supervisor)) == [approved]

    registered = services.rapport_register(
        rapport=approved, actor=supervisor, kbr_number="5", kbr_registered_at=timezone.localdate()
    )
    assert list(rapport_queue_for(user=supervisor)) == [registered]

    Rapport.objects.filter(pk=registered.pk).update(printed_at=timezone.now(), printed_by=supervisor)
    assert list(rapport_queue_for(user=supervisor)) == []


def test_drafts_are_not_in_the_queue(draft, supervisor):
    assert list(rapport_queue_for(user=supervisor)) == []


def test_a_registered_rapport_is_no_longer_due_immediately(urgent, supervisor):
    approved = services.rapport_approve(rapport=urgent, actor=supervisor)
    services.rapport_register(
        rapport=approved, actor=supervisor, kbr_number="9", kbr_registered_at=timezone.localdate()
    )

    assert rapport_queue_for(user=supervisor).get().due_immediately == 0


def test_older_submissions_come_first_among_equals(ordinary, district, supervisor):
    officer = UserFactory(unit=district, roles=["inspector"])
    case = CaseFactory(created_by=officer)
    screen(case, officer)
    later = _submitted(case, officer)
    Rapport.objects.filter(pk=ordinary.pk).update(submitted_at=later.submitted_at - timedelta(hours=1))

    assert [r.pk for r in rapport_queue_for(user=supervisor)] == [ordinary.pk, later.pk]


@pytest.mark.parametrize("who", ["owner", "investigator", "analyst", "ngo_user", "desk_operator"])
def test_only_heads_have_a_print_queue(who, ordinary, client_for, request):
    user = request.getfixturevalue(who)

    assert client_for(user).get(QUEUE).status_code == 404
    assert list(rapport_queue_for(user=user)) == []


def test_the_menu_links_the_queue_for_heads_only(supervisor, owner, client_for, client):
    assert QUEUE in client_for(supervisor).get(reverse("cases:list")).content.decode()
    client.logout()
    assert QUEUE not in client_for(owner).get(reverse("cases:list")).content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(QUEUE)

    assert response.status_code == 302 and reverse("login") in response["Location"]
