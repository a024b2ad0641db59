"""Two people taking the same due item, and two runs of the escalation clock, at the same moment: PostgreSQL, real row
locks, each call on its own connection."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import OutboxMessage
from accounts.roles import Role
from cases.models import Case
from referrals import triage
from screening.models import Obligation
from tests.factories import CaseFactory, UserFactory
from tests.screening.test_races_postgres import run_at_once

from .triage_cast import item, record_call

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("attempt", range(5))
def test_of_two_duty_officers_taking_a_1899_report_at_once_exactly_one_holds_it(district, attempt):
    operator = UserFactory(unit=district.parent, roles=[Role.HOTLINE_OPERATOR])
    officers = [UserFactory(unit=district, roles=[Role.DUTY_OFFICER]) for _ in range(2)]
    take_up = record_call(operator, district).case.obligations.get()
    outcomes: dict = {}

    def claim(officer):
        def run():
            try:
                triage.obligation_claim(obligation=Obligation.objects.get(pk=take_up.pk), actor=officer)
                outcomes[officer.pk] = "holds"
            except triage.ClaimRefused:
                outcomes[officer.pk] = "refused"

        return run

    run_at_once(claim(officers[0]), claim(officers[1]))

    assert sorted(outcomes.values()) == ["holds", "refused"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "holds")
    taken = Obligation.objects.get(pk=take_up.pk)
    assert taken.assignee_id == winner
    assert taken.history.filter(history_change_reason="claimed").count() == 1
    assert Case.objects.get(pk=take_up.case_id).assigned_officer_id == winner
    assert OutboxMessage.objects.filter(recipient=operator, kind="report_taken_up", channel="in_app").count() == 1


@pytest.mark.parametrize("attempt", range(5))
def test_two_runs_of_the_escalation_clock_at_once_tell_each_head_once_per_item(district, attempt):
    heads = [UserFactory(unit=district, roles=[Role.SUPERVISOR]) for _ in range(2)]
    owner = UserFactory(unit=district, roles=[Role.INSPECTOR])
    late = timedelta(minutes=-(settings.OBLIGATION_ESCALATION_GRACE_MINUTES + 30))
    items = [
        item(CaseFactory(created_by=owner), code, due_in=late)
        for code in ("rapport_registration", "establish_act", "establish_means")
        for _ in range(3)
    ]
    now = timezone.now()
    runs: list = []

    run_at_once(*(lambda: runs.append(triage.escalate_overdue(now=now)) for _ in range(2)))

    assert sorted(e.obligation_id for run in runs for e in run) == sorted(o.pk for o in items)
    for head in heads:
        told = OutboxMessage.objects.filter(recipient=head, kind="due_item_overdue", channel="in_app")
        assert told.count() == len(items)
        assert len({m.payload["params"]["case_id"] for m in told}) == len(items)
    assert not Obligation.objects.filter(escalated_at__isnull=True).exists()
