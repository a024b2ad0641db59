"""Data migrations of the screening app, run against rows stored the old way."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

import screening.migrations
from screening.models import Obligation
from screening.services import screening_record

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

    data_migration("obligation_basis_truthful").correct_stored_obligations(apps, None)

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
    migration = data_migration("obligation_basis_truthful")

    migration.correct_stored_obligations(apps, None)
    records = Obligation.history.count()
    migration.correct_stored_obligations(apps, None)

    assert Obligation.history.count() == records
