"""Thin Celery wrappers around the referral services; their results are not kept (nothing reads them)."""

from celery import shared_task

from . import services


@shared_task(name="referrals.tasks.rights_sheet_render", acks_late=True, ignore_result=True)
def rights_sheet_render(sheet_id: str) -> None:
    """Render one rights and contacts sheet to PDF (idempotent on its id)."""
    services.rights_sheet_render(sheet_id=sheet_id)
