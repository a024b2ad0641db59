"""Two people changing the same referral or consent at the same moment, on PostgreSQL with real row locks: exactly one
change wins, the other is refused cleanly, and exactly one notice goes out."""

import contextlib

import pytest

from accounts.models import OutboxMessage
from referrals import services
from referrals.models import Consent, Referral
from screening.models import Obligation
from screening.services import screening_record
from tests.screening.test_races_postgres import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ATTEMPTS = range(4)


def _quietly(call):
    """Run a change; a refusal because the other change came first is an expected outcome, not an error."""

    def run():
        with contextlib.suppress(services.TransitionRefused):
            call()

    return run


def _sent(police_case, adult, ngo, owner) -> Referral:
    referral = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
    return services.referral_send(referral=referral, actor=owner)


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_two_workers_of_the_ngo_accept_at_once_and_the_officer_is_told_once(
    attempt, police_case, adult, ngo, ngo_user, owner
):
    from tests.factories import UserFactory

    colleague = UserFactory(unit=None, roles=["ngo_staff"], organisation=ngo.organisation)
    referral = _sent(police_case, adult, ngo, owner)
    first, second = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)

    run_at_once(
        _quietly(lambda: services.referral_accept(referral=first, actor=ngo_user)),
        _quietly(lambda: services.referral_accept(referral=second, actor=colleague)),
    )

    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.version == 3
    assert OutboxMessage.objects.filter(kind="referral_accepted", channel="in_app").count() == 1
    assert referral.history.filter(history_change_reason="accepted").count() == 1


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_the_ngo_declines_while_the_officer_withdraws_and_exactly_one_happens(
    attempt, police_case, adult, ngo, ngo_user, owner
):
    referral = _sent(police_case, adult, ngo, owner)
    first, second = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)

    run_at_once(
        _quietly(lambda: services.referral_decline(referral=first, actor=ngo_user, reason="Орун жок")),
        _quietly(lambda: services.referral_withdraw(referral=second, actor=owner, reason="Үйүнө кайтты")),
    )

    referral.refresh_from_db()
    notices = set(OutboxMessage.objects.filter(kind__in=["referral_declined", "referral_withdrawn"]).values_list(
        "kind", flat=True
    ))  # fmt: skip
    assert (referral.status, notices) in [
        ("declined", {"referral_declined"}),
        ("withdrawn", {"referral_withdrawn"}),
    ]


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_two_officers_send_the_same_routed_draft_at_once_and_it_goes_once(
    attempt, police_case, child, owner, colleague, ngo, ngo_user
):
    facts = {"victim_age": 14, "acts": ["recruitment"], "purposes": ["forced_labour"]}
    screening_record(case=police_case, actor=owner, victim=child, facts=facts, indicators=["held"])
    draft = Referral.objects.get(rule="inform_ngo")
    first, second = Referral.objects.get(pk=draft.pk), Referral.objects.get(pk=draft.pk)

    run_at_once(
        _quietly(lambda: services.referral_send(referral=first, actor=owner)),
        _quietly(lambda: services.referral_send(referral=second, actor=owner)),
    )

    assert Referral.objects.get(pk=draft.pk).status == "sent"
    assert OutboxMessage.objects.filter(kind="referral_received", recipient=ngo_user, channel="in_app").count() == 1
    item = Obligation.objects.get(case=police_case, code="inform_ngo")
    assert item.status == "done" and item.history.filter(history_change_reason="done").count() == 1


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_two_decisions_recorded_at_once_leave_one_standing_consent_per_category(attempt, adult, ngo, owner, colleague):
    def record(decision: str, actor):
        return lambda: services.consent_record(
            victim=adult, recipient=ngo, decisions={"identity": decision, "contacts": decision}, given_by="victim",
            informed_how=Consent.Informed.ORALLY, actor=actor,
        )  # fmt: skip

    run_at_once(record("given", owner), record("refused", colleague))

    standing = Consent.objects.filter(victim=adult, recipient=ngo, withdrawn_at__isnull=True)
    assert sorted(standing.values_list("category", flat=True)) == ["contacts", "identity"]
    assert len(set(standing.values_list("decision", flat=True))) == 1  # both from the same, later, decision
    assert Consent.objects.filter(victim=adult, recipient=ngo).count() == 4
