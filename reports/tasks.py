"""Thin Celery wrappers around the reports services; their results are not kept (nothing reads them)."""

from celery import shared_task

from . import pdf_services


@shared_task(
    name="reports.tasks.rapport_pdf_render",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=pdf_services.RENDER_SOFT_TIME_LIMIT,
    time_limit=pdf_services.RENDER_TIME_LIMIT,
)
def rapport_pdf_render(pdf_id: str) -> None:
    """Render one rapport PDF (idempotent on its id: a claimed or ready one is left alone)."""
    pdf_services.rapport_pdf_render(pdf_id=pdf_id)
