"""Correct obligations stored before the basis told whose the deadline is (issue 7).

The notices to the КИБ, the duty officer and the NGO go "at the same time" as a child's referral: the handbook's
words, but the time is the referral's project-policy deadline, so their basis is project policy. Each corrected row
gets a history record with the reason, as every change does. The rules are copied here, not imported: a migration
must keep meaning what it meant when it was written.
"""

from django.db import migrations
from django.utils import timezone

PROJECT_POLICY = "project_policy"
SAME_TIME_AS_THE_REFERRAL = ("notify_kib", "notify_duty_officer", "inform_ngo")
REASON_BASIS = "basis corrected: the deadline is project policy"
HISTORY_FIELDS = (
    "id", "code", "due_at", "basis", "deadline_rule", "incident_time_unknown", "status", "done_at", "created_at",
    "case_id", "done_by_id", "screening_id",
)  # fmt: skip


def _record_history(historical_model, obligation, reason: str) -> None:
    historical_model.objects.create(
        **{field: getattr(obligation, field) for field in HISTORY_FIELDS},
        history_date=timezone.now(),
        history_change_reason=reason,
        history_type="~",
        history_user=None,
    )


def correct_stored_obligations(apps, schema_editor) -> None:
    """Give the notices the project-policy basis, with a history record for each row changed."""
    obligation_model = apps.get_model("screening", "Obligation")
    historical_model = apps.get_model("screening", "HistoricalObligation")
    wrong = obligation_model.objects.filter(code__in=SAME_TIME_AS_THE_REFERRAL).exclude(basis=PROJECT_POLICY)
    for obligation in wrong.order_by("pk"):
        obligation.basis = PROJECT_POLICY
        obligation.save(update_fields=["basis"])
        _record_history(historical_model, obligation, REASON_BASIS)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0002_obligation_order"),
    ]

    operations = [
        migrations.RunPython(correct_stored_obligations, migrations.RunPython.noop),
    ]
