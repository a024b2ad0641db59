"""The statistics page through its URL: counts on a small data set, the head's scope, suppression for analysts, 404
for everyone else, the filter's errors, and a query count that does not grow with the cases."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from referrals.models import Recipient, Referral
from screening.models import Obligation, Screening
from tests.factories import CaseFactory, UserFactory, VictimFactory

pytestmark = pytest.mark.django_db

URL = reverse("reports:statistics")
PERIOD = {"date_from": "2026-09-01", "date_to": "2026-10-31"}
SEPTEMBER = datetime(2026, 9, 10, 6, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 12, 6, 0, tzinfo=UTC)


def _screen(case, author, *, articles, verdict, purposes=(), at=SEPTEMBER):
    screening = Screening.objects.create(
        case=case, created_by=author, verdict=verdict, articles=list(articles), facts={"purposes": list(purposes)}
    )
    Screening.objects.filter(pk=screening.pk).update(created_at=at)
    return screening


def _figures(response, section: str) -> dict[str, str]:
    """The counts of one table of the page, by row key (from the context, as the template shows them)."""
    table = getattr(response.context["figures"], section)
    counts = {row.key: row.cells[0].shown for row in table.rows}
    if table.additive:
        counts["total"] = table.total.shown
    return counts


@pytest.fixture
def world(owner, outsider):
    """Five cases of the district in September and October 2026, one of another district, one of last year."""
    one = CaseFactory(created_by=owner, received_at=SEPTEMBER, country_origin=True, country_destination=True)
    two = CaseFactory(created_by=owner, received_at=SEPTEMBER, country_transit=True)
    three = CaseFactory(created_by=owner, received_at=SEPTEMBER + timedelta(days=5), country_origin=True)
    four = CaseFactory(created_by=owner, received_at=OCTOBER)
    five = CaseFactory(created_by=owner, received_at=OCTOBER)
    CaseFactory(created_by=outsider, received_at=OCTOBER, country_origin=True)
    CaseFactory(created_by=owner, received_at=datetime(2025, 3, 1, tzinfo=UTC))

    _screen(one, owner, articles=["167"], verdict="art_167", at=SEPTEMBER)
    _screen(one, owner, articles=["166"], verdict="art_166", purposes=["sexual_exploitation"], at=OCTOBER)
    _screen(two, owner, articles=["166", "166.2.5"], verdict="art_166", purposes=["forced_labour"])
    _screen(three, owner, articles=["167"], verdict="art_167", purposes=["forced_labour", "forced_begging"])
    _screen(five, owner, articles=[], verdict="elements_not_established")

    VictimFactory(case=one, sex="female", date_of_birth=date(2010, 5, 5))  # 16 in September 2026
    VictimFactory(case=one, sex="female", date_of_birth=date(2000, 1, 1))  # 26
    VictimFactory(case=two, sex="male", approximate_age=30)
    VictimFactory(case=three, sex="female", appears_minor=True)
    VictimFactory(case=four, sex="unknown")

    organisation = Organisation.objects.create(name="«Сезим» борбору", kind=Organisation.Kind.NGO)
    ngo = Recipient.objects.create(kind=Recipient.Kind.NGO, organisation=organisation)
    past = datetime(2026, 10, 1, tzinfo=UTC)
    for case, status, answered in [(one, "accepted", past + timedelta(days=2)), (two, "declined", past),
                                   (three, "sent", None), (four, "draft", None)]:  # fmt: skip
        Referral.objects.create(case=case, recipient=ngo, status=status, created_by=owner, due_at=past,
                                sent_at=None if status == "draft" else past - timedelta(days=1),
                                answered_at=answered)  # fmt: skip

    due = {"basis": "handbook", "deadline_rule": "immediately", "due_at": past}
    Obligation.objects.create(case=one, code="notify_kib", **due)
    Obligation.objects.create(case=two, code="notify_kib", status="done", done_at=past + timedelta(hours=3), **due)
    Obligation.objects.create(case=three, code="notify_kib", status="done", done_at=past - timedelta(hours=1), **due)
    return {"cases": [one, two, three, four, five]}


def test_a_head_sees_exact_counts_of_the_cases_of_the_period_in_their_unit(client_for, supervisor, district, world):
    response = client_for(supervisor).get(URL, PERIOD)

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.cases.shown == "5"
    assert figures.victims.shown == "5"
    assert _figures(response, "by_unit") == {str(district.pk): "5", "total": "5"}
    assert _figures(response, "by_month") == {"2026-09": "3", "2026-10": "2", "total": "5"}


def test_the_article_is_the_latest_screenings(client_for, supervisor, world):
    response = client_for(supervisor).get(URL, PERIOD)

    assert _figures(response, "by_article") == {
        "166": "1", "166+166.2.5": "1", "167": "1", "": "1", "not_screened": "1", "total": "5",
    }  # fmt: skip


def test_victims_are_counted_by_sex_and_by_age_on_the_day_the_report_came_in(client_for, supervisor, world):
    response = client_for(supervisor).get(URL, PERIOD)

    assert _figures(response, "by_sex") == {"female": "3", "male": "1", "unknown": "1", "total": "5"}
    ages = _figures(response, "by_age")
    assert (ages["14-17"], ages["26-40"], ages["minor"], ages["unknown"], ages["0-13"]) == ("1", "2", "1", "1", "0")
    assert ages["total"] == "5"


def test_purposes_and_country_roles_count_a_case_in_each_of_its_rows(client_for, supervisor, world):
    response = client_for(supervisor).get(URL, PERIOD)

    assert _figures(response, "by_purpose") == {"forced_labour": "2", "sexual_exploitation": "1", "forced_begging": "1"}
    assert _figures(response, "by_country_role") == {"origin": "2", "transit": "1", "destination": "1", "none": "2"}


def test_referrals_are_counted_by_answer_with_the_acceptance_rate_and_the_breaches(client_for, supervisor, world):
    response = client_for(supervisor).get(URL, PERIOD)
    figures = response.context["figures"]

    (ngo,) = figures.referrals.rows
    assert [cell.shown for cell in ngo.cells] == ["1", "1", "1", "0"]
    assert (ngo.total.shown, ngo.rate) == ("3", "50 %")
    (deadlines,) = figures.referral_deadlines.rows
    assert [cell.shown for cell in deadlines.cells] == ["4", "2", "1"]  # with a deadline, overdue (sent, draft), late
    (kib,) = figures.obligations.rows
    assert [cell.shown for cell in kib.cells] == ["3", "1", "1"]


def test_the_page_shows_the_charts_and_the_tables(client_for, supervisor, world):
    page = client_for(supervisor).get(URL, PERIOD).content.decode()

    assert page.count('role="img"') == 7
    assert page.count("<caption") >= 10
    assert "ст. 166" in page or "166-беренеси" in page or "Art. 166" in page


def test_another_districts_cases_are_not_counted_for_a_head_but_are_for_the_oblast_head(
    client_for, supervisor, oblast_head, world
):
    assert client_for(supervisor).get(URL, PERIOD).context["figures"].cases.shown == "5"
    assert client_for(oblast_head).get(URL, PERIOD).context["figures"].cases.shown == "6"


def test_a_head_may_narrow_to_a_unit_below_and_not_to_another_units(
    client_for, oblast_head, supervisor, district, other_district, world
):
    narrowed = client_for(oblast_head).get(URL, {**PERIOD, "unit": other_district.pk})
    assert narrowed.context["figures"].cases.shown == "1"

    refused = client_for(supervisor).get(URL, {**PERIOD, "unit": other_district.pk})
    assert refused.status_code == 200
    assert refused.context["figures"] is None
    assert "unit" in refused.context["form"].errors
    assert 'role="alert"' in refused.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "2026-10-01", "date_to": "2026-09-01"}, "date_to"),
        ({"date_from": "2026-13-45"}, "date_from"),
    ],
)
def test_an_impossible_period_is_a_form_error(client_for, supervisor, params, field):
    response = client_for(supervisor).get(URL, params)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["figures"] is None


@pytest.mark.parametrize("value", ["Ош\x00", "Ош\u202e", "0001-01-01", "9999-12-31", "ж" * 20_000, "9" * 40, "-1"])
@pytest.mark.parametrize("name", ["date_from", "date_to", "unit"])
def test_hostile_values_in_every_parameter_are_form_errors_not_500(client_for, supervisor, world, name, value):
    response = client_for(supervisor).get(URL, {name: value})

    assert response.status_code == 200
    assert name in response.context["form"].errors


def test_without_a_filter_the_last_twelve_months_are_shown(client_for, supervisor, world):
    response = client_for(supervisor).get(URL)

    assert response.status_code == 200
    assert response.context["chosen"]["date_from"] is not None
    assert response.context["figures"] is not None


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.DUTY_OFFICER, Role.INVESTIGATOR, Role.KIB_OFFICER,
                                  Role.INTL_COOPERATION, Role.HOTLINE_OPERATOR, Role.NGO_STAFF])  # fmt: skip
def test_other_roles_get_404_and_no_menu_link(client_for, district, role):
    user = UserFactory(unit=district, roles=[role])
    client = client_for(user)

    assert client.get(URL).status_code == 404
    assert URL not in client.get(reverse("notifications")).content.decode()


def test_heads_and_analysts_find_the_page_in_the_menu(client_for, supervisor, analyst):
    assert URL in client_for(supervisor).get(reverse("notifications")).content.decode()
    assert URL in client_for(analyst).get(reverse("notifications")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_number_of_queries_does_not_grow_with_the_cases(client_for, supervisor, owner, world):
    client = client_for(supervisor)
    client.get(URL, PERIOD)  # warm the session and the user's groups
    with CaptureQueriesContext(connection) as few:
        client.get(URL, PERIOD)
    for _ in range(6):
        case = CaseFactory(created_by=owner, received_at=OCTOBER, country_transit=True)
        VictimFactory(case=case, sex="male", date_of_birth=date(1980, 2, 29))
        _screen(case, owner, articles=["166"], verdict="art_166", purposes=["slavery"])
    with CaptureQueriesContext(connection) as many:
        client.get(URL, PERIOD)

    assert len(many) == len(few)
    assert len(many) <= 14  # 12 today: session, user, menu, scope, and five GROUP BY queries for the figures


# ---------------------------------------------------------------------------
# Analysts: aggregates only, small counts suppressed
# ---------------------------------------------------------------------------
@pytest.fixture
def eight_cases(owner):
    """Eight cases of the district in October: six women and two men, all of Art. 166."""
    cases = []
    for index in range(8):
        case = CaseFactory(created_by=owner, received_at=OCTOBER, number=f"ЧУЙ-2026-{index:05d}")
        VictimFactory(case=case, sex="female" if index < 6 else "male", last_name=f"Жолдошева{index}")
        _screen(case, owner, articles=["166"], verdict="art_166", purposes=["forced_labour"])
        cases.append(case)
    return cases


def test_an_analyst_sees_small_counts_as_under_five_and_a_complementary_count_hidden(client_for, analyst, eight_cases):
    response = client_for(analyst).get(URL, PERIOD)

    assert response.status_code == 200
    assert _figures(response, "by_sex") == {"female": "×", "male": "<5", "unknown": "0", "total": "8"}
    assert _figures(response, "by_article") == {"166": "8", "total": "8"}
    page = response.content.decode()
    assert 'id="suppression-note"' in page
    assert "&lt;5" in page


def test_an_analyst_never_sees_a_case_number_a_name_or_a_link_to_a_case(client_for, analyst, eight_cases):
    page = client_for(analyst).get(URL, PERIOD).content.decode()

    for case in eight_cases:
        assert case.number not in page
        assert str(case.pk) not in page
    assert "Жолдошева" not in page
    assert "/cases/" not in page.split('id="main"')[1]


def test_a_suppressed_count_is_not_in_the_analysts_chart_either(client_for, analyst, eight_cases):
    page = client_for(analyst).get(URL, PERIOD).content.decode()
    sex_section = page.split('id="by-sex"')[1].split("</section>")[0]

    assert ">2<" not in sex_section
    assert ">6<" not in sex_section
    assert "&lt;5" in sex_section.split("</svg>")[0]


def test_a_head_sees_the_same_counts_exactly(client_for, supervisor, eight_cases):
    response = client_for(supervisor).get(URL, PERIOD)

    assert _figures(response, "by_sex") == {"female": "6", "male": "2", "unknown": "0", "total": "8"}
    assert 'id="suppression-note"' not in response.content.decode()


def test_when_a_small_count_cannot_be_protected_the_analyst_sees_none_of_that_population(client_for, analyst, owner):
    # given five men, one woman and one person of sex not established: hiding the five beside the two ones would still
    # give them away (7 - 5 = 2 in two cells of at least 1)
    for sex in ["male"] * 5 + ["female", "unknown"]:
        VictimFactory(case=CaseFactory(created_by=owner, received_at=OCTOBER), sex=sex)

    figures = client_for(analyst).get(URL, PERIOD).context["figures"]

    assert figures.victims.value is None
    assert {cell.value for row in figures.by_sex.rows for cell in row.cells} == {None}
    assert {cell.value for row in figures.by_age.rows for cell in row.cells} == {None}
    assert figures.cases.shown == "7"


def test_an_analyst_counts_the_whole_unit_tree_of_their_unit(client_for, analyst, eight_cases, far_district):
    for _ in range(5):
        CaseFactory(created_by=UserFactory(unit=far_district, roles=[Role.INSPECTOR]), received_at=OCTOBER)

    assert client_for(analyst).get(URL, PERIOD).context["figures"].cases.shown == "13"
