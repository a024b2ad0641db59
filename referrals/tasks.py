"""Thin Celery wrappers around the referral services; their results are not kept."""

from celery import shared_task

from . import triage


@shared_task(name="referrals.tasks.escalate_overdue", acks_late=True, ignore_result=True)
def escalate_overdue() -> int:
    """Tell the heads of the due items overdue since the last run (beat, every minute); return how many."""
    return len(triage.escalate_overdue())
