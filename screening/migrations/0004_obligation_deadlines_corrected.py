"""Correct obligations stored before issue 7; the verdict label of Art. 160 and the field names the history shows.

- The notices to the КИБ, the duty officer and the NGO go "at the same time" as a child's referral: the handbook's
  words, but the time is the referral's project-policy deadline, so their basis is project policy.
- An open 72-hour item (health information after sexual violence against a child) counts from the incident: due
  immediately while the incident time is unknown (it was stored as 72 hours after the screening), or 72 hours after
  an incident time entered on the case since.

Each corrected row gets a history record with the reason, as every change does. The rules are copied here, not
imported: a migration must keep meaning what it meant when it was written.
"""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

VERDICT_CHOICES = [
    ("art_166", "Art. 166 of the Criminal Code of the KR (trafficking in persons)"),
    ("art_167", "Art. 167 of the Criminal Code of the KR (trafficking in children)"),
    (
        "art_159_160",
        "Art. 159 / Art. 160 of the Criminal Code of the KR "
        "(involvement in prostitution / facilitating prostitution and debauchery)",
    ),
    ("elements_not_established", "elements of trafficking not established"),
    ("not_trafficking", "not trafficking in persons"),
]
PROJECT_POLICY = "project_policy"
SAME_TIME_AS_THE_REFERRAL = ("notify_kib", "notify_duty_officer", "inform_ngo")
REASON_BASIS = "basis corrected: the deadline is project policy"
REASON_INCIDENT = "deadline recomputed: 72 hours from the incident"
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


def _health_information_deadline(obligation) -> dict:
    incident_at = obligation.case.incident_at
    if incident_at is None:
        return {"due_at": obligation.screening.created_at, "deadline_rule": "immediately", "incident_time_unknown": True}
    return {
        "due_at": incident_at + timedelta(hours=72),
        "deadline_rule": "hours_after_incident",
        "incident_time_unknown": False,
    }


def correct_stored_obligations(apps, schema_editor) -> None:
    """Correct the notices' basis and the open 72-hour deadlines, with a history record for each row changed."""
    obligation_model = apps.get_model("screening", "Obligation")
    historical_model = apps.get_model("screening", "HistoricalObligation")
    wrong_basis = obligation_model.objects.filter(code__in=SAME_TIME_AS_THE_REFERRAL).exclude(basis=PROJECT_POLICY)
    for obligation in wrong_basis.order_by("pk"):
        obligation.basis = PROJECT_POLICY
        obligation.save(update_fields=["basis"])
        _record_history(historical_model, obligation, REASON_BASIS)
    health = obligation_model.objects.filter(code="health_information_72h", status="open").select_related(
        "case", "screening"
    )
    for obligation in health.order_by("pk"):
        deadline = _health_information_deadline(obligation)
        if all(getattr(obligation, field) == value for field, value in deadline.items()):
            continue
        for field, value in deadline.items():
            setattr(obligation, field, value)
        obligation.save(update_fields=list(deadline))
        _record_history(historical_model, obligation, REASON_INCIDENT)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0003_screening_notes_plain_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalscreening",
            name="verdict",
            field=models.CharField(choices=VERDICT_CHOICES, db_index=True, max_length=40, verbose_name="verdict"),
        ),
        migrations.AlterField(
            model_name="screening",
            name="verdict",
            field=models.CharField(choices=VERDICT_CHOICES, db_index=True, max_length=40, verbose_name="verdict"),
        ),
        migrations.AlterField(
            model_name="historicalobligation",
            name="incident_time_unknown",
            field=models.BooleanField(default=False, verbose_name="incident time unknown"),
        ),
        migrations.AlterField(
            model_name="obligation",
            name="incident_time_unknown",
            field=models.BooleanField(default=False, verbose_name="incident time unknown"),
        ),
        migrations.RunPython(correct_stored_obligations, migrations.RunPython.noop),
    ]
