"""The triage queue, "my due items" and the first page after signing in: who sees which items, in which order, with
which buttons; every role and every refusal (404 for other roles and for a foreign unit's item)."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases import services as case_services
from cases.models import PersonalDataAccess
from referrals import triage
from referrals import triage_selectors as selectors
from referrals.models import Referral
from screening.models import Obligation
from screening.services import screening_record
from tests.factories import CaseFactory, UserFactory

from .triage_cast import item, outbox, record_call

pytestmark = pytest.mark.django_db

FOREIGN_ADULT = {"victim_age": 30, "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]}


@pytest.fixture
def cast(district, oblast, ministry, owner, duty_officer, supervisor, oblast_head, analyst):
    """One person of every role, in the district (heads and the desk where they sit)."""
    return {
        "inspector": owner,
        "duty_officer": duty_officer,
        "investigator": UserFactory(unit=district, roles=[Role.INVESTIGATOR]),
        "kib_officer": UserFactory(unit=district, roles=[Role.KIB_OFFICER]),
        "supervisor": supervisor,
        "oblast_head": oblast_head,
        "hotline_operator": UserFactory(unit=oblast, roles=[Role.HOTLINE_OPERATOR]),
        "intl_cooperation": UserFactory(unit=ministry, roles=[Role.INTL_COOPERATION]),
        "analyst": analyst,
        "ngo_staff": UserFactory(unit=None, roles=[Role.NGO_STAFF]),
    }


TRIAGE_PAGE = {"duty_officer": 200, "supervisor": 200, "oblast_head": 200}
MY_PAGE = {"analyst": 404, "ngo_staff": 404}
HOME = {
    "inspector": "referrals:my_items",
    "duty_officer": "referrals:my_items",
    "investigator": "referrals:my_items",
    "kib_officer": "referrals:my_items",
    "supervisor": "referrals:my_items",
    "oblast_head": "referrals:my_items",
    "hotline_operator": "referrals:hotline_calls",
    "intl_cooperation": "referrals:inbox",
    "ngo_staff": "referrals:inbox",
    "analyst": "cases:list",
}


@pytest.mark.parametrize("role", sorted(HOME))
def test_each_role_gets_its_pages_and_404_for_the_others(role, cast, client_for):
    client = client_for(cast[role])

    assert client.get(reverse("referrals:triage")).status_code == TRIAGE_PAGE.get(role, 404)
    assert client.get(reverse("referrals:my_items")).status_code == MY_PAGE.get(role, 200)
    menu = client.get(reverse("cases:list")).content.decode()
    assert (reverse("referrals:triage") in menu) == (role in TRIAGE_PAGE)
    assert (reverse("referrals:my_items") in menu) == (role not in MY_PAGE)


@pytest.mark.parametrize("role", sorted(HOME))
def test_each_role_lands_on_its_first_job_after_signing_in(role, cast, client, password):
    response = client.post(reverse("login"), {"username": cast[role].username, "password": password})

    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse(HOME[role])


def test_the_pages_ask_a_stranger_to_sign_in(client):
    for name in ("home", "referrals:triage", "referrals:my_items"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------------------------------------------------
# What the triage queue holds, in which order
# ---------------------------------------------------------------------------------------------------------------------
def test_the_queue_holds_the_duty_items_of_the_unit_and_everything_overdue_overdue_first(
    case, owner, duty_officer, outsider, supervisor
):
    now = timezone.now()
    later = item(case, "notify_duty_officer", addressee=Role.DUTY_OFFICER, due_in=timedelta(hours=20))
    soon = item(case, "take_up_report", addressee=Role.DUTY_OFFICER, due_in=timedelta(hours=1))
    late_kib = item(case, "notify_kib", addressee=Role.KIB_OFFICER, due_in=-timedelta(hours=1))
    late_at_once = item(case, "protective_measures", due_in=-timedelta(minutes=5), deadline_rule="immediately")
    very_late = item(case, "rapport_registration", due_in=-timedelta(days=2))
    item(case, "refer_child_social_services", due_in=timedelta(hours=2))  # the case officer's, in time: not here
    item(case, "intl_cooperation_decision", addressee=Role.SUPERVISOR, due_in=timedelta(hours=3))  # the head's
    done = item(case, "establish_act", addressee=Role.DUTY_OFFICER, due_in=-timedelta(hours=3))
    Obligation.objects.filter(pk=done.pk).update(status=Obligation.Status.DONE)
    elsewhere = CaseFactory(created_by=outsider)
    item(elsewhere, "take_up_report", addressee=Role.DUTY_OFFICER, due_in=-timedelta(hours=1))
    closed = CaseFactory(created_by=owner)
    item(closed, "take_up_report", addressee=Role.DUTY_OFFICER, due_in=-timedelta(hours=1))
    case_services.case_close(case=closed, actor=owner, reason="Кылмыш белгилери жок.")

    queue = list(selectors.triage_queue(user=duty_officer, now=now))

    # overdue first and, among them, what was due immediately; then by deadline
    assert queue == [late_at_once, very_late, late_kib, soon, later]
    heads_queue = list(selectors.triage_queue(user=supervisor, now=now))
    assert [o.code for o in heads_queue][-1] == "notify_duty_officer" and len(heads_queue) == 6


def test_an_immediate_item_not_yet_overdue_comes_before_later_deadlines(case, duty_officer):
    now = timezone.now()
    policy = item(case, "take_up_report", addressee=Role.DUTY_OFFICER, due_in=timedelta(minutes=30))
    at_once = item(
        case, "notify_duty_officer", addressee=Role.DUTY_OFFICER, due_in=timedelta(hours=1),
        deadline_rule="policy_immediately",
    )  # fmt: skip

    assert list(selectors.triage_queue(user=duty_officer, now=now)) == [at_once, policy]


# ---------------------------------------------------------------------------------------------------------------------
# What "my due items" hold
# ---------------------------------------------------------------------------------------------------------------------
def test_my_items_are_mine_for_my_role_in_my_unit_and_my_cases_officer_items(
    district, other_district, owner, colleague, duty_officer, supervisor
):
    mine = CaseFactory(created_by=owner)
    authored_only = CaseFactory(created_by=owner, assigned_officer=colleague)
    authored_unassigned = CaseFactory(created_by=owner, assigned_officer=None)
    other = CaseFactory(created_by=colleague)
    kib = UserFactory(unit=district, roles=[Role.KIB_OFFICER])

    officer_item = item(mine, "rapport_registration")
    given_away = item(mine, "establish_act")
    triage.obligation_assign(obligation=given_away, actor=duty_officer, assignee=duty_officer)
    item(authored_only, "rapport_registration")  # the colleague is its officer
    unassigned_item = item(authored_unassigned, "rapport_registration")
    given_to_me = item(other, "establish_means")
    triage.obligation_assign(obligation=given_to_me, actor=supervisor, assignee=colleague)
    kib_item = item(other, "notify_kib", addressee=Role.KIB_OFFICER)
    foreign_kib = UserFactory(unit=other_district, roles=[Role.KIB_OFFICER])
    now = timezone.now()

    assert set(selectors.my_due_items(user=owner, now=now)) == {officer_item, unassigned_item}
    assert set(selectors.my_due_items(user=colleague, now=now)) == {
        given_to_me,
        *Obligation.objects.filter(case=authored_only),
    }
    assert list(selectors.my_due_items(user=kib, now=now)) == [kib_item]
    assert list(selectors.my_due_items(user=foreign_kib, now=now)) == []
    assert list(selectors.my_due_items(user=duty_officer, now=now)) == [given_away]


def test_a_head_sees_the_items_of_the_unit_the_head_was_told_of(case, supervisor, oblast_head):
    late = item(case, "rapport_registration", due_in=-timedelta(days=1))
    item(case, "establish_act", due_in=-timedelta(days=1), escalated_at=None)
    Obligation.objects.filter(pk=late.pk).update(escalated_at=timezone.now())

    assert list(selectors.my_due_items(user=supervisor, now=timezone.now())) == [late]
    assert list(selectors.my_due_items(user=oblast_head, now=timezone.now())) == []


def test_the_tabs_split_overdue_due_today_and_all(case, owner):
    now = timezone.make_aware(datetime(2026, 3, 10, 12, 0))  # noon in Bishkek: "today" ends in 12 hours
    for code, due in (("rapport_registration", -1), ("establish_act", 3), ("establish_means", 30)):
        item(case, code, due_in=None, due_at=now + timedelta(hours=due))

    assert selectors.my_tab_counts(user=owner, now=now) == {"all": 3, "overdue": 1, "today": 1}
    assert [o.code for o in selectors.my_due_items(user=owner, now=now, tab="today")] == ["establish_act"]
    assert [o.code for o in selectors.my_due_items(user=owner, now=now, tab="overdue")] == ["rapport_registration"]
    assert selectors.menu_overdue_counts(user=owner, now=now) == {"mine": 1}


def test_the_menu_counts_what_is_overdue_on_each_list_in_one_query(
    case, duty_officer, analyst, django_assert_num_queries
):
    item(case, "take_up_report", addressee=Role.DUTY_OFFICER, due_in=-timedelta(hours=1))
    item(case, "rapport_registration", due_in=-timedelta(hours=1))
    item(case, "notify_duty_officer", addressee=Role.DUTY_OFFICER, due_in=timedelta(hours=1))
    duty_officer.role_names()

    with django_assert_num_queries(1):
        counts = selectors.menu_overdue_counts(user=duty_officer, now=timezone.now())

    assert counts == {"mine": 1, "triage": 2}
    analyst.role_names()
    with django_assert_num_queries(0):
        assert selectors.menu_overdue_counts(user=analyst, now=timezone.now()) == {}


# ---------------------------------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def operator(district):
    return UserFactory(unit=district.parent, roles=[Role.HOTLINE_OPERATOR])


def test_a_row_shows_the_case_the_item_its_deadline_basis_and_holder_and_no_name(
    client_for, owner, duty_officer, operator, district
):
    call = record_call(operator, district, received_at=timezone.now() - timedelta(hours=3))
    case_services.victim_create(case=call.case, actor=duty_officer, data={"last_name": "Жээнбекова"})
    client = client_for(duty_officer)
    client.cookies["cms_language"] = "en"

    page = client.get(reverse("referrals:triage")).content.decode()

    assert reverse("cases:detail", args=[call.case_id]) in page and call.case.number in page
    assert "1899 call: the duty unit takes up the report" in page
    assert "2 hours overdue" in page and ">overdue<" in page  # the word, not colour alone
    assert "deadline set by project policy" in page and "project policy</span>" in page
    assert "nobody yet" in page and "Take it" in page
    assert "Жээнбекова" not in page and not PersonalDataAccess.objects.exists()


def test_a_duty_officer_takes_an_item_from_the_queue_and_marks_it_done(client_for, duty_officer, operator, district):
    call = record_call(operator, district)
    take_up = call.case.obligations.get()
    client = client_for(duty_officer)

    response = client.post(reverse("referrals:item_claim", args=[take_up.pk]), {"back": "triage"})

    assert response["Location"] == f"{reverse('referrals:triage')}#item-{take_up.pk}"
    assert Obligation.objects.get(pk=take_up.pk).assignee == duty_officer
    assert [m.kind for m in outbox(operator)] == ["report_taken_up"]
    mine = client.get(reverse("referrals:my_items")).content.decode()
    assert call.case.number in mine

    response = client.post(reverse("referrals:item_done", args=[take_up.pk]), {"note": "Участкалык жөнөтүлдү"})
    assert response["Location"] == reverse("referrals:my_items")
    assert Obligation.objects.get(pk=take_up.pk).status == "done"


def test_a_claim_someone_won_first_is_refused_with_a_message(client_for, duty_officer, district, operator):
    take_up = record_call(operator, district).case.obligations.get()
    other = UserFactory(unit=district, roles=[Role.DUTY_OFFICER])
    triage.obligation_claim(obligation=take_up, actor=other)

    response = client_for(duty_officer).post(reverse("referrals:item_claim", args=[take_up.pk]), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Obligation.objects.get(pk=take_up.pk).assignee == other


def test_the_duty_officer_gives_an_item_from_a_select_of_the_units_people_of_its_role(
    client_for, case, duty_officer, district, other_district
):
    kib = UserFactory(unit=district, roles=[Role.KIB_OFFICER], first_name="Марат", last_name="Осмонов")
    foreign_kib = UserFactory(unit=other_district, roles=[Role.KIB_OFFICER], first_name="Чужой", last_name="Киб")
    notice = item(case, "notify_kib", addressee=Role.KIB_OFFICER, due_in=-timedelta(hours=1))
    client = client_for(duty_officer)
    page = client.get(reverse("referrals:triage")).content.decode()
    assert f'<option value="{kib.pk}">Марат Осмонов</option>' in page and "Чужой" not in page

    refused = client.post(
        reverse("referrals:item_assign", args=[notice.pk]), {"assignee": foreign_kib.pk, "back": "triage"}
    )
    assert refused.status_code == 400 and "assignee" in refused.context["form"].errors
    assert 'aria-invalid="true"' in refused.content.decode()

    given = client.post(reverse("referrals:item_assign", args=[notice.pk]), {"assignee": kib.pk, "back": "triage"})
    assert given.status_code == 302 and Obligation.objects.get(pk=notice.pk).assignee == kib


def test_a_notice_marked_done_without_saying_to_whom_is_refused_beside_the_item(client_for, case, duty_officer):
    notice = item(case, "notify_duty_officer", addressee=Role.DUTY_OFFICER)
    client = client_for(duty_officer)
    client.cookies["cms_language"] = "en"

    response = client.post(reverse("referrals:item_done", args=[notice.pk]), {"note": "", "back": "triage"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page and f'href="#item-{notice.pk}-note"' in page
    assert f'id="item-{notice.pk}-note-error"' in page
    assert Obligation.objects.get(pk=notice.pk).status == "open"


def test_the_head_decides_on_international_cooperation_from_the_item(
    client_for, police_case, owner, supervisor, duty_officer, intl_recipient, intl_officer
):
    foreigner = case_services.victim_create(
        case=police_case, actor=owner, data={"last_name": "Каримов", "approximate_age": 30, "citizenship": "UZ"}
    )
    screening_record(case=police_case, actor=owner, victim=foreigner, facts=FOREIGN_ADULT)
    decision = police_case.obligations.get(code="intl_cooperation_decision")
    url = reverse("referrals:item_intl_decision", args=[decision.pk])
    head = client_for(supervisor)
    head_page = head.get(reverse("referrals:my_items")).content.decode()
    assert url in head_page and reverse("referrals:item_done", args=[decision.pk]) not in head_page

    assert head.post(url, {"inform": "yes", "note": ""}).status_code == 400
    response = head.post(url, {"inform": "yes", "note": "Өзбекстандын элчилигине маалымат берилсин"})

    assert response.status_code == 302
    assert Referral.objects.get().recipient == intl_recipient
    assert Obligation.objects.get(pk=decision.pk).status == "done"
    assert client_for(duty_officer).post(url, {"inform": "no", "note": "x"}).status_code == 404


@pytest.mark.parametrize("action", ["item_claim", "item_assign", "item_done", "item_intl_decision"])
def test_a_foreign_units_item_answers_404(action, client_for, outsider, case, district):
    notice = item(case, "intl_cooperation_decision", addressee=Role.SUPERVISOR, due_in=-timedelta(hours=1))
    foreign_head = UserFactory(unit=outsider.unit, roles=[Role.SUPERVISOR, Role.DUTY_OFFICER])
    data = {"note": "x", "inform": "no", "assignee": outsider.pk}

    for user in (outsider, foreign_head):
        assert client_for(user).post(reverse(f"referrals:{action}", args=[notice.pk]), data).status_code == 404
    assert Obligation.objects.get(pk=notice.pk).status == "open"


@pytest.mark.parametrize("role", ["hotline_operator", "intl_cooperation", "analyst", "ngo_staff"])
def test_roles_that_do_not_work_cases_get_404_on_every_action(role, cast, client_for, case):
    notice = item(case, "notify_duty_officer", addressee=Role.DUTY_OFFICER)
    client = client_for(cast[role])

    for action in ("item_claim", "item_assign", "item_done", "item_intl_decision"):
        assert client.post(reverse(f"referrals:{action}", args=[notice.pk]), {"note": "x"}).status_code == 404


def test_an_inspector_cannot_give_items(client_for, case, owner, district):
    notice = item(case, "rapport_registration")
    investigator = UserFactory(unit=district, roles=[Role.INVESTIGATOR])

    response = client_for(owner).post(reverse("referrals:item_assign", args=[notice.pk]), {"assignee": investigator.pk})

    assert response.status_code == 404


def test_the_lists_run_a_fixed_number_of_queries(client_for, district, duty_officer, django_assert_max_num_queries):
    for index in range(12):
        case = CaseFactory(created_by=duty_officer, assigned_officer=None if index % 2 else duty_officer)
        item(case, "take_up_report", addressee=Role.DUTY_OFFICER, due_in=timedelta(hours=index - 6))
        item(case, "rapport_registration", due_in=-timedelta(hours=index))
        item(case, "notify_kib", addressee=Role.KIB_OFFICER, due_in=-timedelta(hours=1))
    UserFactory(unit=district, roles=[Role.KIB_OFFICER])
    client = client_for(duty_officer)

    with django_assert_max_num_queries(TRIAGE_QUERIES):
        page = client.get(reverse("referrals:triage"))
    assert len(page.context["rows"]) == 36
    with django_assert_max_num_queries(TRIAGE_QUERIES + 1):  # and the tabs' counts
        assert len(client.get(reverse("referrals:my_items")).context["rows"]) == 24


# The session, the user, their roles and unit, the unread notifications, the menu's overdue counts, the page's count
# and rows, the cases among them the reader may change, the people of the units to give items to.
TRIAGE_QUERIES = 10


def test_a_child_screening_puts_the_duty_officers_notice_in_the_queue_and_my_items(
    police_case, child, owner, duty_officer
):
    screening_record(
        case=police_case, actor=owner, victim=child, indicators=["held"],
        facts={"victim_date_of_birth": date(2012, 2, 2).isoformat(), "acts": ["recruitment"],
               "purposes": ["forced_labour"]},
    )  # fmt: skip

    codes = {o.code for o in selectors.triage_queue(user=duty_officer, now=timezone.now())}
    mine = {o.code for o in selectors.my_due_items(user=duty_officer, now=timezone.now())}

    assert "notify_duty_officer" in codes and "notify_duty_officer" in mine
