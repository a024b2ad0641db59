"""The triage services (referrals/triage.py): taking an item, giving it to someone, finishing it, and the escalation
clock that tells the head once; with their history and outbox rows."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from accounts.notifications import render_notification
from accounts.roles import Role
from cases import services as case_services
from cases.closed import CaseIsClosed
from cases.models import Case
from referrals import services, tasks, triage
from referrals.models import Referral
from screening.models import Obligation
from screening.services import obligation_complete, obligation_undo, screening_record
from tests.factories import CaseFactory, UserFactory

from .triage_cast import item, outbox, reasons, record_call

pytestmark = pytest.mark.django_db

ABUSED_CHILD = {"victim_age": 12, "acts": ["harbouring"], "purposes": ["sexual_exploitation"]}


@pytest.fixture
def operator(district):
    return UserFactory(unit=district.parent, roles=[Role.HOTLINE_OPERATOR])


@pytest.fixture
def second_duty_officer(district):
    return UserFactory(unit=district, roles=[Role.DUTY_OFFICER])


@pytest.fixture
def take_up(operator, district):
    return record_call(operator, district).case.obligations.get(code="take_up_report")


# ---------------------------------------------------------------------------------------------------------------------
# Taking an item
# ---------------------------------------------------------------------------------------------------------------------
def test_a_duty_officer_takes_up_a_1899_report_becomes_its_officer_and_the_operator_is_told(
    take_up, duty_officer, operator, district
):
    before = timezone.now()

    taken = triage.obligation_claim(obligation=take_up, actor=duty_officer)

    assert taken.assignee == duty_officer and before <= taken.claimed_at <= timezone.now()
    assert reasons(taken)[-1] == "claimed"
    case = Case.objects.get(pk=take_up.case_id)
    assert case.assigned_officer == duty_officer
    assert case.history.latest().history_change_reason == "report taken up"
    (notice,) = outbox(operator)
    assert notice.kind == "report_taken_up"
    assert notice.payload["params"] == {"case_number": case.number, "unit": district.name}  # no personal data


def test_of_two_duty_officers_the_second_is_refused_and_a_second_click_changes_nothing(
    take_up, duty_officer, second_duty_officer, operator
):
    triage.obligation_claim(obligation=take_up, actor=duty_officer)

    with pytest.raises(triage.ClaimRefused):
        triage.obligation_claim(obligation=take_up, actor=second_duty_officer)
    again = triage.obligation_claim(obligation=take_up, actor=duty_officer)

    assert again.assignee == duty_officer
    assert reasons(again).count("claimed") == 1
    assert len(outbox(operator, "report_taken_up")) == 1


@pytest.mark.parametrize(
    "who", ["owner", "kib", "supervisor", "outsider", "inactive_duty_officer"], ids=lambda who: who
)
def test_only_a_person_of_the_role_in_the_unit_takes_an_item(who, take_up, request, district):
    people = {
        "kib": lambda: UserFactory(unit=district, roles=[Role.KIB_OFFICER]),
        "inactive_duty_officer": lambda: UserFactory(unit=district, roles=[Role.DUTY_OFFICER], is_active=False),
    }
    actor = people[who]() if who in people else request.getfixturevalue(who)

    with pytest.raises(triage.ClaimRefused):
        triage.obligation_claim(obligation=take_up, actor=actor)

    take_up.refresh_from_db()
    assert take_up.assignee is None and Case.objects.get(pk=take_up.case_id).assigned_officer is None


def test_an_item_for_the_case_officer_is_not_taken_but_given(case, owner, duty_officer):
    rapport = item(case, "rapport_registration")

    with pytest.raises(triage.ClaimRefused):
        triage.obligation_claim(obligation=rapport, actor=owner)
    with pytest.raises(triage.ClaimRefused):
        triage.obligation_claim(obligation=rapport, actor=duty_officer)


def test_a_done_item_and_a_closed_case_are_refused(take_up, duty_officer, owner, case):
    obligation_complete(obligation=take_up, actor=duty_officer)
    with pytest.raises(triage.ClaimRefused):
        triage.obligation_claim(obligation=take_up, actor=duty_officer)

    notice = item(case, "notify_duty_officer", addressee=Role.DUTY_OFFICER)
    case_services.case_close(case=case, actor=owner, reason="Кылмыш белгилери жок.")
    with pytest.raises(CaseIsClosed):
        triage.obligation_claim(obligation=notice, actor=duty_officer)


# ---------------------------------------------------------------------------------------------------------------------
# Giving an item to someone
# ---------------------------------------------------------------------------------------------------------------------
def test_the_duty_officer_gives_an_item_to_a_kib_officer_who_is_told(case, duty_officer, district):
    kib = UserFactory(unit=district, roles=[Role.KIB_OFFICER])
    notice = item(case, "notify_kib", addressee=Role.KIB_OFFICER)

    given = triage.obligation_assign(obligation=notice, actor=duty_officer, assignee=kib)

    assert given.assignee == kib and given.claimed_at is not None
    assert reasons(given)[-1] == f"given to user {kib.pk}"
    (told,) = outbox(kib)
    assert told.kind == "due_item_assigned"
    assert told.payload["params"] == {"case_number": case.number, "case_id": str(case.pk), "code": "notify_kib"}


def test_a_held_item_changes_hands_and_the_history_says_from_whom(case, duty_officer, supervisor, district):
    first, second = (UserFactory(unit=district, roles=[Role.KIB_OFFICER]) for _ in range(2))
    notice = item(case, "notify_kib", addressee=Role.KIB_OFFICER)
    triage.obligation_claim(obligation=notice, actor=first)

    given = triage.obligation_assign(obligation=notice, actor=supervisor, assignee=second)

    assert given.assignee == second
    assert reasons(given)[-1] == f"given to user {second.pk} (held by user {first.pk})"


@pytest.mark.parametrize("giver", ["duty_officer", "supervisor", "oblast_head"])
def test_the_duty_officer_and_the_heads_above_give_items(giver, request, case, district):
    kib = UserFactory(unit=district, roles=[Role.KIB_OFFICER])
    notice = item(case, "notify_kib", addressee=Role.KIB_OFFICER)

    triage.obligation_assign(obligation=notice, actor=request.getfixturevalue(giver), assignee=kib)

    assert Obligation.objects.get(pk=notice.pk).assignee == kib


@pytest.mark.parametrize("giver", ["owner", "outsider", "kib"])
def test_nobody_else_gives_items(giver, request, case, district):
    kib = UserFactory(unit=district, roles=[Role.KIB_OFFICER])
    actor = kib if giver == "kib" else request.getfixturevalue(giver)
    notice = item(case, "notify_kib", addressee=Role.KIB_OFFICER)

    with pytest.raises(ValidationError):
        triage.obligation_assign(obligation=notice, actor=actor, assignee=kib)
    assert Obligation.objects.get(pk=notice.pk).assignee is None


def test_an_item_goes_only_to_a_person_of_its_role_in_its_unit(case, duty_officer, other_district, district):
    notice = item(case, "notify_kib", addressee=Role.KIB_OFFICER)
    for assignee in (
        UserFactory(unit=district, roles=[Role.INVESTIGATOR]),  # another role
        UserFactory(unit=other_district, roles=[Role.KIB_OFFICER]),  # another unit
        UserFactory(unit=district, roles=[Role.KIB_OFFICER], is_active=False),
    ):
        with pytest.raises(ValidationError) as refused:
            triage.obligation_assign(obligation=notice, actor=duty_officer, assignee=assignee)
        assert "assignee" in refused.value.message_dict


def test_an_item_for_the_case_officer_goes_to_a_unit_wide_worker_or_the_case_officer(
    case, owner, colleague, duty_officer, district
):
    rapport = item(case, "rapport_registration")
    investigator = UserFactory(unit=district, roles=[Role.INVESTIGATOR])

    with pytest.raises(ValidationError):  # an inspector who is not the case's officer cannot see the case
        triage.obligation_assign(obligation=rapport, actor=duty_officer, assignee=colleague)
    triage.obligation_assign(obligation=rapport, actor=duty_officer, assignee=investigator)
    triage.obligation_assign(obligation=rapport, actor=duty_officer, assignee=owner)

    assert Obligation.objects.get(pk=rapport.pk).assignee == owner


def test_a_1899_report_given_to_a_duty_officer_gets_its_officer_and_the_operator_is_told_once(
    take_up, duty_officer, second_duty_officer, supervisor, operator
):
    triage.obligation_assign(obligation=take_up, actor=supervisor, assignee=second_duty_officer)
    triage.obligation_assign(obligation=take_up, actor=supervisor, assignee=duty_officer)

    case = Case.objects.get(pk=take_up.case_id)
    assert case.assigned_officer == second_duty_officer  # the first to take it up stays the case's officer
    assert len(outbox(operator, "report_taken_up")) == 1
    assert len(outbox(second_duty_officer, "due_item_assigned")) == 1


# ---------------------------------------------------------------------------------------------------------------------
# Finishing an item from the lists
# ---------------------------------------------------------------------------------------------------------------------
def test_a_1899_report_marked_done_from_the_queue_is_taken_up_by_whoever_did_it(take_up, duty_officer, operator):
    done = triage.obligation_finish(obligation=take_up, actor=duty_officer, note="Участковый жөнөтүлдү")

    assert (done.status, done.done_by, done.assignee, done.note) == ("done", duty_officer, duty_officer, done.note)
    assert Case.objects.get(pk=take_up.case_id).assigned_officer == duty_officer
    assert [m.kind for m in outbox(operator)] == ["report_taken_up"]


def test_finishing_keeps_the_note_rule_and_leaves_the_holder_alone(case, duty_officer, supervisor, district):
    kib = UserFactory(unit=district, roles=[Role.KIB_OFFICER])
    notice = item(case, "notify_kib", addressee=Role.KIB_OFFICER)
    triage.obligation_claim(obligation=notice, actor=kib)

    with pytest.raises(ValidationError):
        triage.obligation_finish(obligation=notice, actor=supervisor, note=" ")
    done = triage.obligation_finish(obligation=notice, actor=supervisor, note="КИБ: Осмонов, № 12")

    assert (done.status, done.assignee, done.done_by) == ("done", kib, supervisor)


def test_the_decision_on_international_cooperation_is_not_just_marked_done(case, supervisor):
    decision = item(case, "intl_cooperation_decision", addressee=Role.SUPERVISOR)

    with pytest.raises(ValidationError):
        triage.obligation_finish(obligation=decision, actor=supervisor, note="Маалымат берилди")
    assert Obligation.objects.get(pk=decision.pk).status == "open"


def test_a_second_decision_on_international_cooperation_is_refused(police_case, owner, supervisor, intl_recipient):
    foreigner = case_services.victim_create(case=police_case, actor=owner, data={"citizenship": "UZ"})
    screening_record(case=police_case, actor=owner, victim=foreigner, facts={"victim_age": 30})
    decision = Obligation.objects.get(case=police_case, code="intl_cooperation_decision")
    services.intl_cooperation_decide(obligation=decision, actor=supervisor, inform=True, note="Маалымат берилсин")

    with pytest.raises(ValidationError):
        services.intl_cooperation_decide(obligation=decision, actor=supervisor, inform=True, note="Дагы бир жолу")

    assert Referral.objects.count() == 1


# ---------------------------------------------------------------------------------------------------------------------
# The escalation clock
# ---------------------------------------------------------------------------------------------------------------------
@pytest.fixture
def heads(district):
    return [UserFactory(unit=district, roles=[Role.SUPERVISOR]) for _ in range(2)]


def _late(minutes: int) -> timedelta:
    return -timedelta(minutes=settings.OBLIGATION_ESCALATION_GRACE_MINUTES + minutes)


def test_an_overdue_item_is_escalated_once_to_each_head_of_its_unit(case, heads, oblast_head, other_district):
    stranger = UserFactory(unit=other_district, roles=[Role.SUPERVISOR])
    late = item(case, "rapport_registration", due_in=_late(5))
    now = timezone.now()

    escalated = triage.escalate_overdue(now=now)
    again = triage.escalate_overdue(now=now + timedelta(minutes=1))

    assert [(e.obligation_id, e.heads_told) for e in escalated] == [(late.pk, 2)] and again == []
    late.refresh_from_db()
    assert late.escalated_at == now and reasons(late)[-1] == "overdue: the head is told"
    for head in heads:
        (notice,) = outbox(head)
        assert notice.kind == "due_item_overdue"
        assert notice.payload["params"] == {"case_number": case.number, "case_id": str(case.pk), "code": late.code}
    assert outbox(oblast_head) == [] and outbox(stranger) == []


def test_the_clock_leaves_alone_what_is_in_time_within_the_grace_done_undated_or_in_a_closed_case(
    case, owner, heads, settings
):
    settings.OBLIGATION_ESCALATION_GRACE_MINUTES = 15
    item(case, "rapport_registration", due_in=timedelta(hours=1))
    item(case, "protective_measures", due_in=-timedelta(minutes=10), deadline_rule="immediately")  # within the grace
    item(case, "establish_act", due_in=None)
    done = item(case, "establish_means", due_in=-timedelta(days=1))
    obligation_complete(obligation=done, actor=owner)
    closed = CaseFactory(created_by=owner)
    item(closed, "rapport_registration", due_in=-timedelta(days=1))
    case_services.case_close(case=closed, actor=owner, reason="Кылмыш белгилери жок.")

    assert triage.escalate_overdue() == []
    assert all(outbox(head) == [] for head in heads)


def test_an_item_undone_escalates_again(case, owner, heads):
    late = item(case, "rapport_registration", due_in=_late(60))
    triage.escalate_overdue()
    obligation_complete(obligation=late, actor=owner)

    obligation_undo(obligation=late, actor=owner)

    assert Obligation.objects.get(pk=late.pk).escalated_at is None
    assert len(triage.escalate_overdue()) == 1
    assert [m.kind for m in outbox(heads[0])] == ["due_item_overdue", "due_item_overdue"]


def test_a_deadline_moved_later_by_the_incident_time_may_escalate_again(owner, heads):
    case = CaseFactory(created_by=owner, incident_at=None)
    screening_record(case=case, actor=owner, facts=ABUSED_CHILD, sexual_violence=True)
    health = case.obligations.get(code="health_information_72h")  # due at once: the incident time is unknown
    later = timezone.now() + timedelta(minutes=settings.OBLIGATION_ESCALATION_GRACE_MINUTES + 1)
    assert [e.obligation_id for e in triage.escalate_overdue(now=later)] == [health.pk]

    # an incident time that still leaves the 72 hours run out: still overdue, the head was told already
    case = Case.objects.get(pk=case.pk)
    case = case_services.case_update(
        case=case, actor=owner, data={"incident_at": timezone.now() - timedelta(days=5)}, version=case.version
    )
    assert Obligation.objects.get(pk=health.pk).escalated_at is not None

    # the real incident time: two hours ago, so the 72 hours run until the day after tomorrow
    case_services.case_update(
        case=case, actor=owner, data={"incident_at": timezone.now() - timedelta(hours=2)}, version=case.version
    )
    health.refresh_from_db()
    assert health.escalated_at is None and health.due_at > timezone.now()


def test_an_establish_item_reopened_by_a_later_screening_may_escalate_again(owner, heads):
    case = CaseFactory(created_by=owner)
    missing_means = {"victim_age": 30, "acts": ["recruitment"], "purposes": ["forced_labour"]}
    screening_record(case=case, actor=owner, facts=missing_means)
    means = case.obligations.get(code="establish_means")
    Obligation.objects.filter(pk=means.pk).update(due_at=timezone.now() - timedelta(days=1))
    triage.escalate_overdue()
    obligation_complete(obligation=means, actor=owner)

    screening_record(case=case, actor=owner, facts=missing_means)

    means.refresh_from_db()
    assert (means.status, means.escalated_at) == ("open", None)


def test_the_beat_runs_the_clock_every_minute(case, heads):
    item(case, "rapport_registration", due_in=_late(1))

    assert settings.CELERY_BEAT_SCHEDULE["escalate-overdue"] == {
        "task": "referrals.tasks.escalate_overdue",
        "schedule": 60.0,
    }
    assert tasks.escalate_overdue.delay().get() == 1
    assert tasks.escalate_overdue.delay().get() == 0


@pytest.mark.parametrize("kind", ["due_item_assigned", "due_item_overdue", "report_taken_up"])
def test_the_notices_name_the_case_in_the_readers_language(kind):
    with override("ru"):
        subject, body = render_notification(
            kind=kind, params={"case_number": "ALAMUDUN-2026-00007", "unit": "Аламүдүн РИИБ"}, link="/x/"
        )
    assert "ALAMUDUN-2026-00007" in subject and "/x/" in body
    assert subject != "Notification"
