"""Marking the same step or due item done, or undoing it, at the same moment: PostgreSQL, real row locks, threads."""

import pytest

from cases.models import OfficerStep
from cases.services import officer_step_record
from screening.models import Obligation
from screening.services import obligation_complete, obligation_undo, screening_record
from tests.factories import CaseFactory
from tests.screening.test_races_postgres import run_at_once

# serialized_rollback: the flush after each test must not re-create content types with new ids under the browser
# tests, which restore the serialized ones.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADULT = {"act_date": "2025-02-01", "victim_age": 30, "acts": ["recruitment"], "means": ["deception"]}
ADULT["purposes"] = ["forced_labour"]


@pytest.mark.parametrize("attempt", range(5))
def test_two_officers_marking_the_same_step_done_at_once_record_it_once_without_an_error(owner, supervisor, attempt):
    case = CaseFactory(created_by=owner)
    results = []

    run_at_once(
        lambda: results.append(officer_step_record(case=case, actor=owner, code="interview", note="a")),
        lambda: results.append(officer_step_record(case=case, actor=supervisor, code="interview", note="b")),
    )

    (step,) = OfficerStep.objects.filter(case=case)
    assert [r.pk for r in results] == [step.pk, step.pk]


@pytest.mark.parametrize("attempt", range(5))
def test_the_rapport_item_and_the_rapport_step_marked_at_once_leave_one_step(owner, supervisor, attempt):
    case = CaseFactory(created_by=owner)
    screening_record(case=case, actor=owner, facts=ADULT)
    rapport = case.obligations.get(code="rapport_registration")

    run_at_once(
        lambda: obligation_complete(obligation=rapport, actor=owner, note="КБР № 1"),
        lambda: officer_step_record(case=case, actor=supervisor, code="write_rapport"),
    )

    assert OfficerStep.objects.filter(case=case, code="write_rapport").count() == 1
    assert Obligation.objects.get(pk=rapport.pk).status == Obligation.Status.DONE


@pytest.mark.parametrize("attempt", range(5))
def test_two_clicks_on_undo_at_once_undo_once(owner, attempt):
    case = CaseFactory(created_by=owner)
    screening_record(case=case, actor=owner, facts=ADULT)
    rapport = obligation_complete(obligation=case.obligations.get(), actor=owner, note="КБР № 1")

    run_at_once(
        lambda: obligation_undo(obligation=rapport, actor=owner),
        lambda: obligation_undo(obligation=rapport, actor=owner),
    )

    rapport.refresh_from_db()
    assert rapport.status == Obligation.Status.OPEN
    assert [r.history_change_reason for r in rapport.history.all()[:2]] == ["undone", "done"]
    assert not OfficerStep.objects.filter(case=case).exists()
