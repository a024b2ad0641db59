"""Referral states (ARCHITECTURE §5): each transition is one service function that writes its history and its
outbox rows in the same transaction; the routing rules draft referrals and tell the people a due item names."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.shortcuts import get_perms

from accounts.models import OutboxMessage
from accounts.roles import Role
from cases.closed import CaseIsClosed
from cases.models import Case
from cases.selectors import case_list_visible_to
from referrals import services
from referrals.models import Recipient, Referral
from screening.models import Obligation
from screening.services import screening_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHILD_FACTS = {"victim_age": 14, "acts": ["recruitment"], "purposes": ["forced_labour"]}


def _sent(case, victim, recipient, owner):
    referral = services.referral_create(case=case, recipient=recipient, actor=owner, victim=victim)
    return services.referral_send(referral=referral, actor=owner)


def _outbox_kinds(user) -> list[str]:
    return list(OutboxMessage.objects.filter(recipient=user, channel="in_app").values_list("kind", flat=True))


def _history_reasons(referral) -> list[str]:
    return list(referral.history.order_by("history_date").values_list("history_change_reason", flat=True))


def test_a_referral_goes_from_draft_to_closed_with_history_and_a_notice_at_each_step(
    police_case, adult, ngo, ngo_user, owner
):
    referral = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
    assert referral.status == Referral.Status.DRAFT and _outbox_kinds(ngo_user) == []

    referral = services.referral_send(referral=referral, actor=owner)
    assert referral.status == "sent" and referral.sent_at is not None
    assert _outbox_kinds(ngo_user) == ["referral_received"]

    referral = services.referral_accept(referral=referral, actor=ngo_user)
    assert referral.status == "accepted" and _outbox_kinds(owner) == ["referral_accepted"]

    services.referral_record_service(referral=referral, actor=ngo_user, service="shelter", note="Баш калкага")
    referral.refresh_from_db()
    assert referral.status == "in_service" and referral.updates.get().service == "shelter"

    services.referral_record_service(referral=referral, actor=ngo_user, close=True)
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.closed_at is not None
    assert _outbox_kinds(owner) == ["referral_accepted", "referral_service", "referral_closed"]
    assert _history_reasons(referral) == [
        "drafted", "send", "accepted", "in service", "service recorded: shelter", "closed",
    ]  # fmt: skip


def test_decline_needs_a_reason_and_tells_the_officer(police_case, adult, ngo, ngo_user, owner):
    referral = _sent(police_case, adult, ngo, owner)

    with pytest.raises(ValidationError):
        services.referral_decline(referral=referral, actor=ngo_user, reason="  ")
    referral.refresh_from_db()
    assert referral.status == "sent"

    referral = services.referral_decline(referral=referral, actor=ngo_user, reason="Орун жок")
    assert (referral.status, referral.reason) == ("declined", "Орун жок")
    assert _outbox_kinds(owner) == ["referral_declined"]
    assert _history_reasons(referral)[-1] == "declined: Орун жок"


def test_a_withdrawn_referral_reopens_as_a_draft_and_a_closed_one_in_service_each_with_a_reason(
    police_case, adult, ngo, ngo_user, owner
):
    referral = _sent(police_case, adult, ngo, owner)
    referral = services.referral_withdraw(referral=referral, actor=owner, reason="Жабырлануучу баш тартты")
    assert referral.status == "withdrawn" and _outbox_kinds(ngo_user) == ["referral_received", "referral_withdrawn"]

    with pytest.raises(ValidationError):
        services.referral_reopen(referral=referral, actor=owner, reason="")
    referral = services.referral_reopen(referral=referral, actor=owner, reason="Кайра макул болду")
    assert referral.status == "draft"

    referral = services.referral_send(referral=referral, actor=owner)
    referral = services.referral_accept(referral=referral, actor=ngo_user)
    services.referral_record_service(referral=referral, actor=ngo_user, close=True)
    referral = services.referral_reopen(referral=referral, actor=owner, reason="Кайра жардам керек")
    assert referral.status == "in_service" and referral.closed_at is None


@pytest.mark.parametrize(
    ("status", "change"),
    [
        ("draft", "accept"),
        ("sent", "send"),
        ("accepted", "accept"),
        ("declined", "accept"),
        ("declined", "withdraw"),
        ("closed", "decline"),
        ("withdrawn", "send"),
        ("sent", "reopen"),
    ],
)
def test_a_change_from_a_state_it_does_not_start_from_is_refused_and_changes_nothing(
    status, change, police_case, adult, ngo, ngo_user, owner
):
    referral = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
    Referral.objects.filter(pk=referral.pk).update(status=status)
    calls = {
        "accept": lambda: services.referral_accept(referral=referral, actor=ngo_user),
        "send": lambda: services.referral_send(referral=referral, actor=owner),
        "withdraw": lambda: services.referral_withdraw(referral=referral, actor=owner, reason="x"),
        "decline": lambda: services.referral_decline(referral=referral, actor=ngo_user, reason="x"),
        "reopen": lambda: services.referral_reopen(referral=referral, actor=owner, reason="x"),
    }
    versions = referral.history.count()

    with pytest.raises(services.TransitionRefused):
        calls[change]()

    referral.refresh_from_db()
    assert referral.status == status and referral.history.count() == versions
    assert not OutboxMessage.objects.filter(kind__startswith="referral_").exists()


def test_a_service_is_recorded_only_on_an_accepted_referral(police_case, adult, ngo, ngo_user, owner):
    referral = _sent(police_case, adult, ngo, owner)

    with pytest.raises(services.TransitionRefused):
        services.referral_record_service(referral=referral, actor=ngo_user, service="legal")
    assert not referral.updates.exists()


def test_an_inactive_recipient_takes_no_referral(police_case, adult, ngo, owner):
    ngo.active = False
    ngo.save()

    with pytest.raises(ValidationError):
        services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)


def test_a_closed_case_takes_no_referral(police_case, adult, ngo, owner):
    from cases.services import case_close

    case_close(case=police_case, actor=owner, reason="Кылмыш белгилери жок")

    with pytest.raises(CaseIsClosed):
        services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)


# -- routing ----------------------------------------------------------------------------------------------------------
def test_screening_a_child_tells_kib_and_duty_officer_and_drafts_the_referrals_all_at_once(
    police_case, child, owner, kib_officer, duty_officer, supervisor, ngo, social_protection, ngo_user
):
    screening = screening_record(case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"])

    items = {o.code: o for o in Obligation.objects.filter(case=police_case)}
    assert (items["notify_kib"].addressee, items["notify_kib"].unit) == ("kib_officer", police_case.unit)
    assert items["notify_duty_officer"].addressee == "duty_officer"
    assert items["refer_child_social_services"].addressee == ""
    # the КИБ and the duty officer hear of it at once; the head and the NGO's staff do not (nothing is sent yet)
    assert _outbox_kinds(kib_officer) == ["due_item"] and _outbox_kinds(duty_officer) == ["due_item"]
    assert _outbox_kinds(supervisor) == [] and _outbox_kinds(ngo_user) == [] and _outbox_kinds(owner) == []
    # the referrals are drafted to the region's services, due with the child's referral
    drafts = {r.rule: r for r in Referral.objects.filter(case=police_case)}
    assert set(drafts) == {"refer_child_social_services", "inform_ngo"}
    assert (
        drafts["inform_ngo"].recipient == ngo and drafts["refer_child_social_services"].recipient == social_protection
    )
    assert all(r.status == "draft" and r.victim == child for r in drafts.values())
    assert (
        drafts["inform_ngo"].due_at
        == items["inform_ngo"].due_at
        == screening.obligations.get(code="refer_child_social_services").due_at
    )


def test_sending_a_routed_referral_marks_its_due_item_done(police_case, child, owner, ngo, social_protection):
    screening_record(case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"])
    referral = Referral.objects.get(case=police_case, rule="inform_ngo")

    services.referral_send(referral=referral, actor=owner)

    item = Obligation.objects.get(case=police_case, code="inform_ngo")
    assert item.status == "done" and item.done_by == owner and ngo.organisation.name in item.note


def test_a_route_to_a_kind_the_directory_lacks_drafts_nothing_and_the_item_stays(police_case, child, owner):
    screening_record(case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"])

    assert not Referral.objects.exists()
    assert Obligation.objects.get(case=police_case, code="inform_ngo").status == "open"


def test_the_nearest_region_wins_over_the_whole_country(police_case, child, owner, ngo, other_ngo):
    screening_record(case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"])

    assert Referral.objects.get(rule="inform_ngo").recipient == ngo  # the oblast's, not the nationwide one


def test_a_recipient_of_another_region_is_not_chosen(police_case, child, owner, far_district):
    from tests.referrals.conftest import organisation_recipient

    organisation_recipient("Ош кризистик борбору", Recipient.Kind.CRISIS_CENTRE, region=far_district.parent)
    screening_record(case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"])

    assert not Referral.objects.filter(rule="inform_ngo").exists()


def test_an_adult_screening_drafts_no_child_referral(police_case, adult, owner, ngo, social_protection):
    facts = {"acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]}
    screening_record(case=police_case, actor=owner, victim=adult, facts=facts, indicators=["documents_taken"])

    assert not Referral.objects.exists()


def test_a_child_at_high_risk_is_referred_to_the_child_protection_body_due_at_once(
    police_case, child, owner, child_protection, duty_officer, supervisor
):
    screening_record(
        case=police_case, actor=owner, victim=child, facts=CHILD_FACTS, indicators=["held"], high_risk=True
    )

    referral = Referral.objects.get(rule="refer_child_protection")
    assert referral.recipient == child_protection and referral.due_at <= timezone.now()
    assert "due_item" in _outbox_kinds(duty_officer) and "due_item" in _outbox_kinds(supervisor)


def test_a_foreign_victim_gives_the_head_a_decision_and_informing_opens_the_case_to_the_directorate(
    police_case, owner, supervisor, intl_officer, intl_recipient
):
    from cases import services as case_services

    foreigner = case_services.victim_create(
        case=police_case, actor=owner, data={"last_name": "Каримов", "approximate_age": 30, "citizenship": "UZ"}
    )
    facts = {"victim_age": 30, "acts": ["recruitment"], "means": ["deception"], "purposes": ["forced_labour"]}
    screening_record(case=police_case, actor=owner, victim=foreigner, facts=facts)
    decision = Obligation.objects.get(case=police_case, code="intl_cooperation_decision")
    assert decision.addressee == "supervisor" and _outbox_kinds(supervisor) == ["due_item"]
    assert not case_list_visible_to(user=intl_officer).filter(pk=police_case.pk).exists()

    referral = services.intl_cooperation_decide(
        obligation=decision, actor=supervisor, inform=True, note="Өзбекстандын элчилигине маалымат берилсин"
    )

    assert referral.status == "sent" and referral.recipient == intl_recipient
    assert _outbox_kinds(intl_officer) == ["referral_received"]
    assert case_list_visible_to(user=intl_officer).filter(pk=police_case.pk).exists()
    decision.refresh_from_db()
    assert decision.status == "done" and decision.done_by == supervisor


def test_the_head_may_decide_not_to_inform_and_nothing_is_opened(police_case, owner, supervisor, intl_officer):
    from cases import services as case_services

    foreigner = case_services.victim_create(case=police_case, actor=owner, data={"citizenship": "UZ"})
    screening_record(case=police_case, actor=owner, victim=foreigner, facts={"victim_age": 30})
    decision = Obligation.objects.get(case=police_case, code="intl_cooperation_decision")

    assert (
        services.intl_cooperation_decide(obligation=decision, actor=supervisor, inform=False, note="Керек эмес") is None
    )

    assert not Referral.objects.exists()
    assert get_perms(intl_officer, police_case) == []
    assert Obligation.objects.get(pk=decision.pk).status == "done"


# -- the 1899 desk ----------------------------------------------------------------------------------------------------
def test_a_1899_call_becomes_an_incoming_report_of_the_district_with_a_take_up_item(district, duty_officer):
    operator = UserFactory(unit=district.parent, roles=[Role.HOTLINE_OPERATOR])
    call = services.hotline_call_record(
        operator=operator,
        data={"caller": "relative", "caller_phone": "+996 700 99 88 77", "callback_consent": True,
              "summary": "Кызы Казакстандан кайтып келбей жатат.", "place": "Аламүдүн", "urgency": "urgent",
              "district": district},
    )  # fmt: skip

    case = call.case
    assert (case.unit, case.source, case.assigned_officer) == (district, Case.Source.HOTLINE_1899, None)
    item = Obligation.objects.get(case=case)
    assert (item.code, item.addressee, item.screening) == ("take_up_report", "duty_officer", None)
    assert timedelta(minutes=59) < item.due_at - call.received_at <= timedelta(hours=1)
    assert _outbox_kinds(duty_officer) == ["due_item"]


def test_the_desk_is_told_when_its_report_is_registered(district, duty_officer):
    from cases.services import case_update

    operator = UserFactory(unit=district.parent, roles=[Role.HOTLINE_OPERATOR])
    call = services.hotline_call_record(
        operator=operator,
        data={"caller": "anonymous", "summary": "Кошунасы кызды камап коюптур.", "urgency": "immediate",
              "district": district},
    )  # fmt: skip
    case = Case.objects.get(pk=call.case_id)
    case_update(
        case=case, actor=duty_officer, version=case.version,
        data={"status": "registered", "kbr_number": "01-2026-000123", "kbr_registered_at": timezone.localdate()},
    )  # fmt: skip

    assert _outbox_kinds(operator) == ["report_registered"]


def test_a_1899_call_goes_to_a_district_department_only(oblast):
    operator = UserFactory(unit=oblast, roles=[Role.HOTLINE_OPERATOR])

    with pytest.raises(ValidationError):
        services.hotline_call_record(
            operator=operator, data={"caller": "victim", "summary": "x", "urgency": "normal", "district": oblast}
        )
    assert not Case.objects.exists()
