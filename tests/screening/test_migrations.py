"""Data migrations of the screening app, run against rows stored the old way."""

from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

import screening.migrations
from screening.models import Obligation
from screening.services import screening_record
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

CHILD_WITH_ART_167 = {
    "act_date": "2025-02-01",
    "victim_age": 15,
    "acts": ["recruitment"],
    "purposes": ["sexual_exploitation"],
}
NOTICES = ("notify_kib", "notify_duty_officer", "inform_ngo")


def data_migration(name: str):
    """Import a migration by the end of its name, whatever number the merge gives it."""
    (path,) = Path(screening.migrations.__file__).parent.glob(f"[0-9][0-9][0-9][0-9]_{name}.py")
    return import_module(f"screening.migrations.{path.stem}")


def test_stored_notices_get_the_project_policy_basis_with_a_history_reason(case, owner):
    # given notices stored before the fix, labelled "handbook" though their time is the referral's policy deadline
    screening_record(case=case, actor=owner, facts=CHILD_WITH_ART_167, high_risk=True)
    Obligation.objects.filter(code__in=NOTICES).update(basis=Obligation.Basis.HANDBOOK)
    done = Obligation.objects.get(code="inform_ngo")
    Obligation.objects.filter(pk=done.pk).update(status=Obligation.Status.DONE)

    data_migration("obligation_deadlines_corrected").correct_stored_obligations(apps, None)

    for code in NOTICES:
        notice = Obligation.objects.get(code=code)
        assert notice.basis == Obligation.Basis.PROJECT_POLICY
        latest = notice.history.first()
        assert latest.basis == Obligation.Basis.PROJECT_POLICY
        assert latest.history_type == "~"
        assert "project policy" in latest.history_change_reason
    assert Obligation.objects.get(code="inform_ngo").status == Obligation.Status.DONE
    protective = Obligation.objects.get(code="protective_measures")
    assert protective.basis == Obligation.Basis.HANDBOOK
    assert protective.history.count() == 1  # a true basis is not touched


def test_running_the_correction_twice_changes_nothing_more(case, owner):
    screening_record(case=case, actor=owner, facts=CHILD_WITH_ART_167)
    Obligation.objects.filter(code__in=NOTICES).update(basis=Obligation.Basis.HANDBOOK)
    migration = data_migration("obligation_deadlines_corrected")

    migration.correct_stored_obligations(apps, None)
    records = Obligation.history.count()
    migration.correct_stored_obligations(apps, None)

    assert Obligation.history.count() == records


def _stored_the_old_way(obligation: Obligation) -> None:
    """Make a 72-hour item look as the old rule stored it: 72 hours after the screening, incident unknown."""
    Obligation.objects.filter(pk=obligation.pk).update(
        due_at=obligation.screening.created_at + timedelta(hours=72),
        deadline_rule="hours_after_incident",
        incident_time_unknown=True,
    )


def test_a_stored_72_hour_item_without_incident_time_becomes_due_immediately(case, owner):
    screening = screening_record(case=case, actor=owner, facts=CHILD_WITH_ART_167, sexual_violence=True)
    _stored_the_old_way(case.obligations.get(code="health_information_72h"))

    data_migration("obligation_deadlines_corrected").correct_stored_obligations(apps, None)

    health = case.obligations.get(code="health_information_72h")
    assert (health.due_at, health.deadline_rule, health.incident_time_unknown) == (
        screening.created_at,
        "immediately",
        True,
    )
    assert health.history.first().history_change_reason == "deadline recomputed: 72 hours from the incident"


def test_a_stored_72_hour_item_of_a_case_whose_incident_time_was_entered_later_counts_from_the_incident(owner):
    incident = datetime(2025, 1, 30, 23, 0, tzinfo=UTC)
    case = CaseFactory(created_by=owner, incident_at=None)
    screening_record(case=case, actor=owner, facts=CHILD_WITH_ART_167, sexual_violence=True)
    _stored_the_old_way(case.obligations.get(code="health_information_72h"))
    type(case).objects.filter(pk=case.pk).update(incident_at=incident)  # entered later, before the fix

    data_migration("obligation_deadlines_corrected").correct_stored_obligations(apps, None)

    health = case.obligations.get(code="health_information_72h")
    assert (health.due_at, health.deadline_rule, health.incident_time_unknown) == (
        incident + timedelta(hours=72),
        "hours_after_incident",
        False,
    )


def test_a_stored_72_hour_item_already_done_is_left_as_it_was(case, owner):
    screening_record(case=case, actor=owner, facts=CHILD_WITH_ART_167, sexual_violence=True)
    health = case.obligations.get(code="health_information_72h")
    _stored_the_old_way(health)
    Obligation.objects.filter(pk=health.pk).update(status=Obligation.Status.DONE)
    before = Obligation.objects.values().get(pk=health.pk)

    data_migration("obligation_deadlines_corrected").correct_stored_obligations(apps, None)

    assert Obligation.objects.values().get(pk=health.pk) == before
