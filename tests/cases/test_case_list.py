"""The case list for people with many cases: the next due item and the overdue items of each case, sorting, the
"unassigned" and "overdue" filters, and what an International Cooperation officer sees before any case reaches them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case
from screening.models import Obligation, Screening
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browse(client):
    """Log a user in, in English, and return the client."""

    def login(user):
        client.force_login(user)
        client.cookies["cms_language"] = "en"
        return client

    return login


def _listed(response) -> list[str]:
    return [case.number for case in response.context["page"].object_list]


def _due(case: Case, code: str, *, hours: float, done: bool = False) -> Obligation:
    """An obligation of the case due `hours` from now (negative: overdue), open unless `done`."""
    screening = case.screenings.first() or Screening.objects.create(
        case=case, created_by=case.created_by, verdict="art_166", articles=["166"]
    )
    return Obligation.objects.create(
        case=case,
        screening=screening,
        code=code,
        due_at=timezone.now() + timedelta(hours=hours),
        basis=Obligation.Basis.PROJECT_POLICY,
        deadline_rule="policy_hours",
        status=Obligation.Status.DONE if done else Obligation.Status.OPEN,
        done_at=timezone.now() if done else None,
    )


@pytest.fixture
def cases_with_due_items(owner):
    """Four cases of the owner's district: one overdue, one due soon, one due later, one with nothing open."""
    now = timezone.now()
    overdue = CaseFactory(created_by=owner, received_at=now - timedelta(days=3), status=Case.Status.CHECK)
    _due(overdue, "rapport_registration", hours=-2.5)
    _due(overdue, "notify_kib", hours=-30)
    _due(overdue, "inform_ngo", hours=-50, done=True)  # done: neither next nor overdue
    soon = CaseFactory(created_by=owner, received_at=now - timedelta(days=1), status=Case.Status.REGISTERED)
    _due(soon, "rapport_registration", hours=5.5)
    _due(soon, "intl_cooperation_decision", hours=60)
    later = CaseFactory(created_by=owner, received_at=now - timedelta(days=2), status=Case.Status.NEW)
    _due(later, "establish_means", hours=70)
    quiet = CaseFactory(created_by=owner, received_at=now - timedelta(hours=1), status=Case.Status.CLOSED)
    _due(quiet, "rapport_registration", hours=-100, done=True)
    return {"overdue": overdue, "soon": soon, "later": later, "quiet": quiet}


# ---------------------------------------------------------------------------
# The next due item and the overdue items of each case
# ---------------------------------------------------------------------------
def test_each_row_carries_the_soonest_open_item_and_the_number_of_overdue_items(browse, owner, cases_with_due_items):
    response = browse(owner).get(reverse("cases:list"))

    rows = {case.number: case for case in response.context["page"].object_list}
    overdue, soon, quiet = (cases_with_due_items[k] for k in ("overdue", "soon", "quiet"))
    assert rows[overdue.number].next_due_code == "notify_kib"  # the older of its two open items
    assert rows[overdue.number].overdue_items == 2  # the done one does not count
    assert rows[soon.number].next_due_code == "rapport_registration"
    assert rows[soon.number].overdue_items == 0
    assert rows[quiet.number].next_due_at is None and rows[quiet.number].overdue_items == 0


def test_the_next_due_column_names_the_item_and_says_how_long_is_left_or_how_late_it_is(
    browse, owner, cases_with_due_items
):
    body = browse(owner).get(reverse("cases:list")).content.decode()

    assert "Next due" in body and "Overdue" in body
    assert "КИБ: a child with indicators of trafficking" in body
    assert "30 hours overdue" in body  # notify_kib, due 30 hours ago
    assert "in 5 hours" in body  # the rapport of the "soon" case, due in 5 h 30 min
    assert "2 overdue" in body  # the overdue column of the overdue case


# ---------------------------------------------------------------------------
# Sorting
# ---------------------------------------------------------------------------
def test_the_list_is_newest_first_by_default(browse, owner, cases_with_due_items):
    c = cases_with_due_items

    response = browse(owner).get(reverse("cases:list"))

    assert _listed(response) == [c["quiet"].number, c["soon"].number, c["later"].number, c["overdue"].number]


def test_the_list_sorts_by_received_oldest_first(browse, owner, cases_with_due_items):
    c = cases_with_due_items

    response = browse(owner).get(reverse("cases:list"), {"sort": "received"})

    assert _listed(response) == [c["overdue"].number, c["later"].number, c["soon"].number, c["quiet"].number]


def test_the_list_sorts_by_the_next_due_item_soonest_first_and_cases_with_nothing_open_last(
    browse, owner, cases_with_due_items
):
    c = cases_with_due_items

    response = browse(owner).get(reverse("cases:list"), {"sort": "due"})

    assert _listed(response) == [c["overdue"].number, c["soon"].number, c["later"].number, c["quiet"].number]


def test_the_list_sorts_by_status_in_the_order_of_the_work(browse, owner, cases_with_due_items):
    c = cases_with_due_items

    response = browse(owner).get(reverse("cases:list"), {"sort": "status"})

    # new → pre-investigation check → registered → referred → closed
    assert _listed(response) == [c["later"].number, c["overdue"].number, c["soon"].number, c["quiet"].number]


def test_an_unknown_sort_keeps_the_default_order_and_says_so(browse, owner, cases_with_due_items):
    c = cases_with_due_items

    response = browse(owner).get(reverse("cases:list"), {"sort": "number; DROP TABLE cases_case"})

    assert response.status_code == 200
    assert _listed(response) == [c["quiet"].number, c["soon"].number, c["later"].number, c["overdue"].number]
    assert "sort" in response.context["filter"].form.errors


def test_the_sorted_column_header_says_how_it_is_sorted(browse, owner, cases_with_due_items):
    client = browse(owner)

    default = client.get(reverse("cases:list")).content.decode()
    by_due = client.get(reverse("cases:list"), {"sort": "due", "status": ""}).content.decode()

    assert re.search(r'<th[^>]*aria-sort="descending"[^>]*>\s*<a[^>]*href="\?sort=received"', default)
    assert default.count("aria-sort=") == 1
    assert re.search(r'<th[^>]*aria-sort="ascending"[^>]*>\s*<a[^>]*>\s*Next due', by_due)
    assert by_due.count("aria-sort=") == 1


def test_the_sort_links_keep_the_filters_and_go_back_to_the_first_page(browse, owner, cases_with_due_items):
    body = browse(owner).get(reverse("cases:list"), {"status": "new", "page": "1"}).content.decode()

    links = re.findall(r'<th[^>]*>\s*<a[^>]*href="([^"]+)"', body)
    assert "?status=new&amp;sort=due" in links
    assert all("page=" not in link for link in links)


def test_the_filter_form_offers_the_sort_on_a_phone_where_the_headers_are_hidden(browse, owner):
    response = browse(owner).get(reverse("cases:list"))

    assert re.search(r'<select name="sort"[^>]*id="id_sort"', response.content.decode())


# ---------------------------------------------------------------------------
# The "unassigned" and "overdue" filters
# ---------------------------------------------------------------------------
def test_the_unassigned_filter_lists_only_cases_without_an_officer(browse, duty_officer, owner):
    assigned = CaseFactory(created_by=owner)
    unassigned = CaseFactory(created_by=owner, assigned_officer=None)

    response = browse(duty_officer).get(reverse("cases:list"), {"unassigned": "on"})

    assert _listed(response) == [unassigned.number]
    assert assigned.number not in response.content.decode()


def test_the_overdue_filter_lists_only_cases_with_an_open_item_past_its_deadline(browse, owner, cases_with_due_items):
    response = browse(owner).get(reverse("cases:list"), {"overdue": "on"})

    assert _listed(response) == [cases_with_due_items["overdue"].number]


def test_the_overdue_filter_combines_with_the_others(browse, owner, cases_with_due_items):
    response = browse(owner).get(reverse("cases:list"), {"overdue": "on", "status": Case.Status.NEW})

    assert _listed(response) == []


def test_the_new_filters_never_widen_what_a_user_may_see(browse, outsider, cases_with_due_items):
    for filters in ({"overdue": "on"}, {"unassigned": "on"}, {"sort": "due"}):
        response = browse(outsider).get(reverse("cases:list"), filters)

        assert _listed(response) == []


# ---------------------------------------------------------------------------
# International Cooperation before any case reaches it
# ---------------------------------------------------------------------------
@pytest.fixture
def intl_officer(ministry):
    return UserFactory(unit=ministry, roles=[Role.INTL_COOPERATION])


def test_the_international_cooperation_officer_is_told_when_cases_reach_them(browse, intl_officer, owner):
    CaseFactory(created_by=owner)  # a district's case: not theirs

    response = browse(intl_officer).get(reverse("cases:list"))
    body = response.content.decode()

    assert _listed(response) == []
    assert "foreign victim" in body
    assert "International Cooperation Directorate" in body
    assert "No cases match." not in body


def test_the_international_cooperation_officer_sees_a_shared_case_instead(browse, intl_officer, owner):
    from cases import services

    case = CaseFactory(created_by=owner)
    services.case_grant_access(case=case, grantee=intl_officer, actor=owner)

    response = browse(intl_officer).get(reverse("cases:list"))

    assert _listed(response) == [case.number]
    assert "International Cooperation Directorate" not in response.content.decode()


def test_other_officers_with_nothing_to_list_get_the_plain_empty_message(browse, duty_officer):
    body = browse(duty_officer).get(reverse("cases:list")).content.decode()

    assert "No cases yet" in body
    assert "International Cooperation Directorate" not in body


def test_a_filter_that_matches_nothing_offers_to_clear_the_filters(browse, owner, cases_with_due_items):
    body = browse(owner).get(reverse("cases:list"), {"status": "referred"}).content.decode()

    assert "No cases match." in body
    assert re.search(rf'<a[^>]*href="{reverse("cases:list")}"[^>]*>\s*Clear the filters', body)


# ---------------------------------------------------------------------------
# Cost: the due items add no query per row
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("cases", [1, 25])
@pytest.mark.parametrize("params", [{}, {"sort": "due"}, {"overdue": "on", "sort": "status"}])
def test_the_due_columns_sorts_and_filters_run_a_fixed_number_of_queries(
    browse, owner, django_assert_max_num_queries, cases, params
):
    from tests.test_query_counts import CASE_LIST_QUERIES

    for index in range(cases):
        case = CaseFactory(created_by=owner)
        _due(case, "rapport_registration", hours=-1 - index)
        _due(case, "notify_kib", hours=index)
    client = browse(owner)

    with django_assert_max_num_queries(CASE_LIST_QUERIES):
        response = client.get(reverse("cases:list"), params)

    assert len(response.context["page"].object_list) == cases
