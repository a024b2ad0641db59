"""The police list of referrals (the cases the reader may read, filters by status, recipient and overdue, no person
named) and the heads' dashboard (counts by status, by recipient and overdue over their units, each a link to the
list); analysts and NGO staff get 404 on both, everyone but heads on the dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases import services as case_services
from cases.models import Case
from referrals import services
from referrals.models import Referral
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAST = timezone.now() - timedelta(hours=3)
FUTURE = timezone.now() + timedelta(hours=20)


def _case(officer, **data):
    return case_services.case_create(actor=officer, data={"source": Case.Source.CITIZEN, **data})


def _person(case, officer, name="Асанова"):
    return case_services.victim_create(case=case, actor=officer, data={"last_name": name, "first_name": "Айжан"})


def _referral(case, recipient, officer, *, status="draft", due_at=None, victim=None):
    referral = services.referral_create(case=case, recipient=recipient, actor=officer, victim=victim, due_at=due_at)
    if status != "draft":
        referral = services.referral_send(referral=referral, actor=officer)
    if status in ("accepted", "in_service", "closed"):
        referral = services.referral_accept(referral=referral, actor=None)
    if status == "declined":
        referral = services.referral_decline(referral=referral, actor=None, reason="Орун жок")
    return referral


@pytest.fixture
def world(owner, outsider, ngo, other_ngo, social_protection):
    """Alamudun: an overdue sent referral, an overdue draft, one sent in time, an accepted one (overdue does not apply);
    Sokuluk (the same oblast): one sent and overdue."""
    mine = _case(owner)
    person = _person(mine, owner)
    referrals = {
        "late": _referral(mine, ngo, owner, status="sent", due_at=PAST, victim=person),
        "late_draft": _referral(mine, social_protection, owner, due_at=PAST, victim=person),
        "in_time": _referral(mine, other_ngo, owner, status="sent", due_at=FUTURE, victim=person),
        "accepted": _referral(mine, ngo, owner, status="accepted", due_at=PAST, victim=person),
    }
    theirs = _case(outsider)
    referrals["sokuluk"] = _referral(
        theirs, ngo, outsider, status="sent", due_at=PAST, victim=_person(theirs, outsider)
    )
    return referrals


def _listed(client, **filters) -> set:
    response = client.get(reverse("referrals:list"), filters)
    assert response.status_code == 200
    return {str(r.pk) for r in response.context["page"].object_list}


def _ids(world, *names) -> set:
    return {str(world[name].pk) for name in names}


# ---------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------
def test_the_list_shows_the_referrals_of_the_cases_the_reader_reads_and_names_no_person(client_for, owner, world):
    client = client_for(owner)

    assert _listed(client) == _ids(world, "late", "late_draft", "in_time", "accepted")
    page = client.get(reverse("referrals:list")).content.decode()
    assert "Асанова" not in page and "Айжан" not in page
    assert world["late"].case.number in page


def test_the_list_filters_by_status_recipient_and_overdue(client_for, owner, world, ngo):
    client = client_for(owner)

    assert _listed(client, status="sent") == _ids(world, "late", "in_time")
    assert _listed(client, recipient=ngo.pk) == _ids(world, "late", "accepted")
    assert _listed(client, overdue="on") == _ids(world, "late", "late_draft")
    assert _listed(client, overdue="on", status="draft") == _ids(world, "late_draft")


def test_an_overdue_referral_says_so_in_a_word(client_for, owner, world):
    page = client_for(owner).get(reverse("referrals:list"), {"overdue": "on"}).content.decode()

    row = page.split(f'data-referral="{world["late"].pk}"')[1].split("</tr>")[0]
    assert 'class="badge badge-alert"' in row


@pytest.mark.parametrize(
    "filters",
    [
        {"status": "sent\x00"},
        {"recipient": "ж" * 20_000},
        {"recipient": "\u202e1"},
        {"overdue": "9" * 40},
        {"page": "x"},
    ],
)
def test_hostile_filters_answer_a_page_not_an_error(client_for, owner, world, filters):
    response = client_for(owner).get(reverse("referrals:list"), filters)

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["analyst", "ngo_user"])
def test_analysts_and_ngo_staff_get_404_on_the_police_pages(who, request, client_for, world):
    client = client_for(request.getfixturevalue(who))

    assert client.get(reverse("referrals:list")).status_code == 404
    assert client.get(reverse("referrals:dashboard")).status_code == 404


def test_the_menu_offers_the_list_to_the_police_and_the_dashboard_link_to_heads(client_for, owner, supervisor, analyst):
    assert reverse("referrals:list") in client_for(owner).get(reverse("cases:list")).content.decode()
    assert reverse("referrals:dashboard") not in client_for(owner).get(reverse("referrals:list")).content.decode()
    assert reverse("referrals:dashboard") in client_for(supervisor).get(reverse("referrals:list")).content.decode()
    assert reverse("referrals:list") not in client_for(analyst).get(reverse("cases:list")).content.decode()


# ---------------------------------------------------------------------------
# The dashboard
# ---------------------------------------------------------------------------
def _dashboard(client) -> dict:
    response = client.get(reverse("referrals:dashboard"))
    assert response.status_code == 200
    return response.context["counts"]


def test_the_head_counts_the_referrals_of_the_unit_by_state_recipient_and_overdue(client_for, supervisor, world, ngo):
    counts = _dashboard(client_for(supervisor))

    by_state = {value: count for value, _label, count in counts["by_state"]}
    assert by_state == {
        "draft": 1, "sent": 2, "accepted": 1, "declined": 0, "in_service": 0, "closed": 0, "withdrawn": 0,
    }  # fmt: skip
    assert (counts["total"], counts["overdue"], counts["overdue_drafts"]) == (4, 2, 1)
    by_recipient = {row["recipient"]: row for row in counts["by_recipient"]}
    assert (by_recipient[ngo]["total"], by_recipient[ngo]["waiting"], by_recipient[ngo]["overdue"]) == (2, 1, 1)
    assert by_recipient[ngo]["active"] == 1


def test_the_oblast_head_counts_every_district_below(client_for, oblast_head, world):
    counts = _dashboard(client_for(oblast_head))

    assert (counts["total"], counts["overdue"]) == (5, 3)


def test_each_count_links_to_the_list_that_shows_as_many(client_for, supervisor, world, ngo):
    client = client_for(supervisor)
    page = client.get(reverse("referrals:dashboard")).content.decode()
    counts = _dashboard(client)

    assert f"{reverse('referrals:list')}?overdue=on" in page
    assert len(_listed(client, overdue="on")) == counts["overdue"]
    for value, _label, count in counts["by_state"]:
        assert f"{reverse('referrals:list')}?status={value}" in page
        assert len(_listed(client, status=value)) == count
    for row in counts["by_recipient"]:
        assert f"{reverse('referrals:list')}?recipient={row['recipient_id']}" in page
        assert len(_listed(client, recipient=row["recipient_id"])) == row["total"]
        assert len(_listed(client, recipient=row["recipient_id"], overdue="on")) == row["overdue"]


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.DUTY_OFFICER, Role.KIB_OFFICER, Role.HOTLINE_OPERATOR])
def test_the_dashboard_answers_404_to_anyone_but_heads(role, client_for, district, world):
    user = UserFactory(unit=district, roles=[role])

    assert client_for(user).get(reverse("referrals:dashboard")).status_code == 404


def test_a_declined_referral_is_counted_and_listed_without_its_reason(client_for, supervisor, owner, ngo):
    case = _case(owner)
    declined = _referral(case, ngo, owner, status="declined")
    client = client_for(supervisor)

    assert {v: c for v, _l, c in _dashboard(client)["by_state"]}["declined"] == 1
    assert _listed(client, status="declined") == {str(declined.pk)}
    assert "Орун жок" not in client.get(reverse("referrals:list")).content.decode()
    assert Referral.objects.get().reason == "Орун жок"
