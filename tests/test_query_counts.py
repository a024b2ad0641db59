"""The pages run a fixed number of queries, however many rows they show.

Each test renders a page once with one row and once with many, under the same bound: a page that queries per row
exceeds it with many rows. The bounds are what the pages reach (for the costliest user of each test): lower one when a
page gets cheaper, raise one only with a reason.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Organisation
from cases import services
from cases.models import Case
from referrals import services as referral_services
from referrals.models import Recipient
from screening.services import screening_record
from tests.factories import CaseFactory, VictimFactory

pytestmark = pytest.mark.django_db

# Every page: +1 for the menu's overdue counts of "My due items" and the triage queue (issue 9: one query for both).
MENU = 1
CASE_LIST_QUERIES = 12 + MENU
# 22 for the page itself, +1 for the obligations' history in the timeline, +1 for the access-log row written when the
# circumstances are shown (a read of personal data), +1 for the screenings' history in the timeline (issue 8: the
# case history lists the screenings; another app's history table is one more source, read in one query).
# Issue 9: the referrals panel reads the referrals, their service updates, the consents and representatives that decide
# what each recipient sees, and the referrals of the due items (an item without one links to a new one): five queries
# however many referrals there are; the costliest page of these tests reaches 28.
# Issue 11: +1 for the rapport's panel (the rapport, its officer and whether it is due immediately, in one query).
CASE_PAGE_QUERIES = 29 + MENU + 1  # +1: the panel of the rights and contacts sheet and the 1899 call (issue 9)
# Issue 12: +1, the access-log row the case page writes whenever it shows the people in full (it wrote one only when
# the case had circumstances).
CASE_PAGE_QUERIES += 1
# 10, +1 for whether the person was screened yet (the "Screen now" offer), +2 for the consent panel (issue 9): the
# person's consents, and the directory the consent form chooses from.
PERSON_PAGE_QUERIES = 13 + MENU
NOTIFICATIONS_QUERIES = 6 + MENU  # 5, +1 for the roles the menu needs (whether to offer the access log)
WIZARD_QUERIES = 10 + MENU  # 9, +1 for the access-log row of the read of the person's data
REFERRAL_LIST_QUERIES = 11 + MENU  # issue 9: the police list of referrals (11) and the heads' dashboard (9)


def _open_case(owner, **data) -> Case:
    return services.case_create(actor=owner, data={"source": Case.Source.CITIZEN, **data})


def _victim(case, owner, **data):
    return services.victim_create(
        case=case, actor=owner, data={"last_name": "Асанова", "first_name": "Айжан", "sex": "female", **data}
    )


# ---------------------------------------------------------------------------
# Case list
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cases", [1, 25])
def test_the_case_list_of_an_inspector_runs_a_fixed_number_of_queries(
    client_for, owner, django_assert_max_num_queries, cases
):
    for _ in range(cases):
        case = _open_case(owner)
        _victim(case, owner, date_of_birth=timezone.localdate() - timedelta(days=16 * 366))
    client = client_for(owner)

    with django_assert_max_num_queries(CASE_LIST_QUERIES):
        response = client.get(reverse("cases:list"))

    assert len(response.context["page"].object_list) == cases


@pytest.mark.parametrize("cases", [1, 25])
def test_the_case_list_of_an_oblast_head_with_a_search_runs_a_fixed_number_of_queries(
    client_for, oblast_head, owner, outsider, django_assert_max_num_queries, cases
):
    for index in range(cases):
        case = _open_case(owner if index % 2 else outsider)
        _victim(case, owner, phone="0555 12 34 56")
    client = client_for(oblast_head)

    with django_assert_max_num_queries(CASE_LIST_QUERIES):
        response = client.get(reverse("cases:list"), {"q": "555123456", "status": "new"})

    assert len(response.context["page"].object_list) == cases


@pytest.mark.parametrize("cases", [1, 25])
def test_the_case_list_of_an_officer_with_grants_runs_a_fixed_number_of_queries(
    client_for, owner, outsider, django_assert_max_num_queries, cases
):
    for _ in range(cases):
        services.case_grant_access(case=_open_case(owner), grantee=outsider, actor=owner)
    client = client_for(outsider)

    with django_assert_max_num_queries(CASE_LIST_QUERIES):
        response = client.get(reverse("cases:list"))

    assert len(response.context["page"].object_list) == cases


# ---------------------------------------------------------------------------
# Case page
# ---------------------------------------------------------------------------
def _edit_many_times(case, victim, owner, edits: int) -> None:
    """Leave `edits` history rows of changes, on the case and on a person in it."""
    for index in range(edits):
        if index % 2:
            victim = services.victim_update(
                victim=victim, actor=owner, data={"phone": f"0555 00 00 {index:02d}"}, version=victim.version
            )
        else:
            case = services.case_update(case=case, actor=owner, data={"summary": f"Edit {index}"}, version=case.version)


@pytest.mark.parametrize("edits", [0, 40])
def test_the_case_page_runs_a_fixed_number_of_queries_however_long_the_history(
    client_for, owner, django_assert_max_num_queries, edits
):
    case = _open_case(owner)
    victim = _victim(case, owner)
    services.suspect_add(case=case, actor=owner, data={"nickname": "Бай"})
    services.exploitation_site_add(case=case, actor=owner, data={"location": "Москва, склад"})
    services.legal_representative_add(
        victim=victim, actor=owner, data={"full_name": "Асанова Г.", "relation": "mother"}
    )
    screening_record(case=case, actor=owner, victim=victim, facts={"act_date": "2025-03-01", "victim_age": 30})
    _edit_many_times(case, victim, owner, edits)
    client = client_for(owner)

    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        response = client.get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    # the case, the person, the suspect, the site, the representative, the screening and its establish items
    assert len(response.context["history"]) == 6 + case.obligations.count() + edits


@pytest.mark.parametrize("referrals", [1, 10])
def test_the_case_page_runs_a_fixed_number_of_queries_however_many_referrals(
    client_for, owner, django_assert_max_num_queries, referrals
):
    case = _open_case(owner)
    victim = _victim(case, owner, date_of_birth=timezone.localdate() - timedelta(days=12 * 366))
    services.legal_representative_add(
        victim=victim, actor=owner, data={"full_name": "Асанова Г.", "relation": "mother"}
    )
    screening_record(
        case=case, actor=owner, victim=victim, facts={"act_date": "2025-03-01", "victim_age": 12}, indicators=["held"]
    )
    for index in range(referrals):
        organisation = Organisation.objects.create(name=f"NGO {index}", kind=Organisation.Kind.NGO)
        recipient = Recipient.objects.create(kind="ngo", organisation=organisation, agreement_categories=["identity"])
        referral = referral_services.referral_create(case=case, recipient=recipient, actor=owner, victim=victim)
        referral_services.referral_send(referral=referral, actor=owner)
        referral_services.referral_accept(referral=referral, actor=None)
        referral_services.referral_record_service(referral=referral, actor=None, service="shelter")
    client = client_for(owner)

    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        response = client.get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="referral referral-in_service') == referrals


def test_the_case_page_names_the_fields_each_edit_changed(client_for, owner):
    case = _open_case(owner)
    victim = _victim(case, owner)
    _edit_many_times(case, victim, owner, 2)
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert "Person changed (phone)" in body
    assert "Case changed (circumstances)" in body


# ---------------------------------------------------------------------------
# Person page
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("representatives", [1, 20])
def test_the_person_page_runs_a_fixed_number_of_queries(
    client_for, owner, django_assert_max_num_queries, representatives
):
    case = _open_case(owner)
    victim = _victim(case, owner, date_of_birth=timezone.localdate() - timedelta(days=10 * 366))
    for index in range(representatives):
        services.legal_representative_add(
            victim=victim,
            actor=owner,
            data={"full_name": f"Representative {index}", "relation": "relative", "is_suspect": index == 0},
        )
    client = client_for(owner)

    with django_assert_max_num_queries(PERSON_PAGE_QUERIES):
        response = client.get(reverse("cases:victim_detail", args=[victim.pk]))

    assert response.status_code == 200
    assert len(response.context["representatives"]) == representatives


@pytest.mark.parametrize("recipients", [1, 10])
def test_the_person_page_with_consents_runs_a_fixed_number_of_queries(
    client_for, owner, django_assert_max_num_queries, recipients
):
    case = _open_case(owner)
    victim = _victim(case, owner, date_of_birth=timezone.localdate() - timedelta(days=10 * 366))
    mother = services.legal_representative_add(
        victim=victim, actor=owner, data={"full_name": "Асанова Г.", "relation": "mother"}
    )
    for index in range(recipients):
        organisation = Organisation.objects.create(name=f"NGO {index}", kind=Organisation.Kind.NGO)
        recipient = Recipient.objects.create(kind="ngo", organisation=organisation)
        for _ in range(2):  # a decision, then a later one that replaces it (the history)
            referral_services.consent_record(
                victim=victim, recipient=recipient, decisions={"identity": "given", "health": "refused"},
                given_by="legal_representative", representative=mother, informed_how="orally", actor=owner,
            )  # fmt: skip
    client = client_for(owner)

    with django_assert_max_num_queries(PERSON_PAGE_QUERIES):
        response = client.get(reverse("cases:victim_detail", args=[victim.pk]))

    assert response.status_code == 200
    assert response.content.decode().count('class="table compact consent-table"') == recipients


# ---------------------------------------------------------------------------
# Referrals: the police list and the heads' dashboard
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("referrals", [1, 20])
@pytest.mark.parametrize("page", ["referrals:list", "referrals:dashboard"])
def test_the_referral_list_and_dashboard_run_a_fixed_number_of_queries(
    client_for, owner, supervisor, django_assert_max_num_queries, referrals, page
):
    case = _open_case(owner)
    victim = _victim(case, owner)
    for index in range(referrals):
        organisation = Organisation.objects.create(name=f"NGO {index}", kind=Organisation.Kind.NGO)
        recipient = Recipient.objects.create(kind="ngo", organisation=organisation)
        referral = referral_services.referral_create(
            case=case, recipient=recipient, actor=owner, victim=victim, due_at=timezone.now() - timedelta(hours=1)
        )
        if index % 2:
            referral_services.referral_send(referral=referral, actor=owner)
    client = client_for(supervisor)

    with django_assert_max_num_queries(REFERRAL_LIST_QUERIES):
        response = client.get(reverse(page), {"overdue": "on"} if page == "referrals:list" else {})

    assert response.status_code == 200


# ---------------------------------------------------------------------------
# Notifications
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("notifications", [1, 50])
def test_the_notifications_page_runs_a_fixed_number_of_queries(
    client_for, owner, django_assert_max_num_queries, notifications
):
    case = CaseFactory(created_by=owner)
    Notification.objects.bulk_create(
        Notification(recipient=owner, kind="case_assigned", params={"case_number": case.number}, link="/cases/x/")
        for _ in range(notifications)
    )
    client = client_for(owner)

    with django_assert_max_num_queries(NOTIFICATIONS_QUERIES):
        response = client.get(reverse("notifications"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == notifications


# ---------------------------------------------------------------------------
# Screening wizard
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("victims", [1, 20])
def test_the_screening_wizard_runs_a_fixed_number_of_queries(client_for, owner, django_assert_max_num_queries, victims):
    case = CaseFactory(created_by=owner)
    VictimFactory.create_batch(victims, case=case)
    client = client_for(owner)

    with django_assert_max_num_queries(WIZARD_QUERIES):
        response = client.get(reverse("screening:wizard", args=[case.pk]))

    assert response.status_code == 200


def test_a_supervisor_sees_the_wizard_in_the_same_number_of_queries(
    client_for, supervisor, owner, django_assert_max_num_queries
):
    case = CaseFactory(created_by=owner)
    VictimFactory.create_batch(5, case=case)
    client = client_for(supervisor)

    with django_assert_max_num_queries(WIZARD_QUERIES):
        assert client.get(reverse("screening:wizard", args=[case.pk])).status_code == 200
