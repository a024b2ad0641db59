"""Two heads deciding on the same rapport at the same moment, on PostgreSQL with real row locks: exactly one change
wins, the other is refused cleanly, and exactly one notice goes out."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import OutboxMessage
from cases.models import Case, OfficerStep
from reports import services
from reports.models import Rapport
from tests.screening.test_races_postgres import run_at_once

from .conftest import complete

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ATTEMPTS = range(4)


def _quietly(call):
    """Run a change; a refusal because the other change came first is an expected outcome, not an error."""

    def run():
        with contextlib.suppress(ValidationError):
            call()

    return run


@pytest.fixture
def submitted_rapport(screened_case, owner):
    rapport = complete(services.rapport_start(case=screened_case, actor=owner), owner)
    return services.rapport_submit(rapport=rapport, actor=owner)


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_two_heads_approve_at_once_and_the_officer_is_told_once(attempt, submitted_rapport, supervisor, oblast_head):
    first, second = Rapport.objects.get(pk=submitted_rapport.pk), Rapport.objects.get(pk=submitted_rapport.pk)

    run_at_once(
        _quietly(lambda: services.rapport_approve(rapport=first, actor=supervisor)),
        _quietly(lambda: services.rapport_approve(rapport=second, actor=oblast_head)),
    )

    rapport = Rapport.objects.get(pk=submitted_rapport.pk)
    assert rapport.status == Rapport.Status.APPROVED and rapport.version == submitted_rapport.version + 1
    assert rapport.history.filter(history_change_reason="approved").count() == 1
    assert OutboxMessage.objects.filter(kind="rapport_approved", channel="in_app").count() == 1


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_two_heads_register_at_once_and_one_number_stands(attempt, submitted_rapport, supervisor, oblast_head):
    approved = services.rapport_approve(rapport=submitted_rapport, actor=supervisor)
    first, second = Rapport.objects.get(pk=approved.pk), Rapport.objects.get(pk=approved.pk)
    today = timezone.localdate()

    def register(rapport, head, number):
        return lambda: services.rapport_register(
            rapport=rapport, actor=head, kbr_number=number, kbr_registered_at=today
        )

    run_at_once(_quietly(register(first, supervisor, "A-1")), _quietly(register(second, oblast_head, "B-2")))

    rapport = Rapport.objects.get(pk=approved.pk)
    case = Case.objects.get(pk=rapport.case_id)
    assert rapport.status == Rapport.Status.REGISTERED and rapport.kbr_number in ("A-1", "B-2")
    assert case.kbr_number == rapport.kbr_number
    assert rapport.history.filter(history_change_reason="registered").count() == 1
    assert OutboxMessage.objects.filter(kind="rapport_registered", channel="in_app").count() == 1
    assert OfficerStep.objects.filter(case=case, code="write_rapport").count() == 1


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_the_head_returns_while_another_approves_and_exactly_one_happens(
    attempt, submitted_rapport, supervisor, oblast_head
):
    first, second = Rapport.objects.get(pk=submitted_rapport.pk), Rapport.objects.get(pk=submitted_rapport.pk)

    run_at_once(
        _quietly(lambda: services.rapport_approve(rapport=first, actor=supervisor)),
        _quietly(lambda: services.rapport_return(rapport=second, actor=oblast_head, reason="Толуктаңыз.")),
    )

    rapport = Rapport.objects.get(pk=submitted_rapport.pk)
    notices = set(OutboxMessage.objects.filter(kind__in=["rapport_approved", "rapport_returned"]).values_list(
        "kind", flat=True
    ))  # fmt: skip
    # Returning an approved rapport is allowed: approve then return is one valid order.
    assert (rapport.status, notices) in [
        ("approved", {"rapport_approved"}),
        ("draft", {"rapport_returned"}),
        ("draft", {"rapport_approved", "rapport_returned"}),
    ]
