"""Thin Celery wrappers around the referral services; their results are not kept (nothing reads them)."""

from celery import shared_task

from . import services, triage


@shared_task(name="referrals.tasks.escalate_overdue", acks_late=True, ignore_result=True)
def escalate_overdue() -> int:
    """Tell the heads of the due items overdue since the last run (beat, every minute); return how many."""
    return len(triage.escalate_overdue())


@shared_task(name="referrals.tasks.rights_sheet_render", acks_late=True, ignore_result=True)
def rights_sheet_render(sheet_id: str) -> None:
    """Render one rights and contacts sheet to PDF (idempotent on its id)."""
    services.rights_sheet_render(sheet_id=sheet_id)
