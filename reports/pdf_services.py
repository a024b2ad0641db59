"""Writes for the rapport's PDFs and its printed flag: ask for a PDF (made once per content), render it in a Celery
task that claims the work so two workers never render it twice, record a download, mark the rapport printed."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import set_history
from accounts.models import User
from accounts.roles import Role
from accounts.services import on_commit

from .documents import rapport_content_hash, render_rapport
from .models import Rapport, RapportPdf

logger = logging.getLogger(__name__)

# A claim older than the task's hard time limit belongs to a worker that died: the redelivered task may take it over.
RENDER_TIME_LIMIT = 120
RENDER_SOFT_TIME_LIMIT = 90
STALE_CLAIM = timedelta(seconds=RENDER_TIME_LIMIT + 30)
PRINTABLE = (Rapport.Status.APPROVED, Rapport.Status.REGISTERED)


def rapport_pdf_request(*, rapport: Rapport, language: str, actor: User) -> RapportPdf:
    """Ask for the rapport's PDF in Kyrgyz or Russian. The PDF of the same content is answered as it is (ready or being
    made: no second render); a failed one is queued again; new content gets a new row, rendered by a Celery task once
    the row is committed (at once where tasks run eagerly)."""
    if language not in Rapport.Language.values:
        raise ValidationError({"language": _("Choose Kyrgyz or Russian.")})
    content_hash = rapport_content_hash(rapport=rapport, language=language)
    with transaction.atomic():
        pdf, created = RapportPdf.objects.get_or_create(
            rapport=rapport, language=language, content_hash=content_hash, defaults={"created_by": actor}
        )
        retried = (
            not created
            and RapportPdf.objects.filter(pk=pdf.pk, status=RapportPdf.Status.FAILED).update(
                status=RapportPdf.Status.PENDING, rendered_at=None
            )
            == 1
        )
        if created or retried:
            pdf_id = str(pdf.pk)
            on_commit(lambda: _queue_rapport_pdf(pdf_id))
    if retried:
        pdf.refresh_from_db()
    return pdf


def _queue_rapport_pdf(pdf_id: str) -> None:
    from .tasks import rapport_pdf_render  # the task module imports this one

    try:
        rapport_pdf_render.delay(pdf_id)
    except Exception as exc:  # no broker, or the eager render failed: say so on the page instead of waiting for ever
        logger.warning("rapport pdf %s not made (%s)", pdf_id, type(exc).__name__)
        RapportPdf.objects.filter(pk=pdf_id, status=RapportPdf.Status.PENDING).update(status=RapportPdf.Status.FAILED)


def _claim(pdf_id) -> bool:
    """Take the render of a pending PDF: one conditional update, so of two workers only one changes the row.

    While a PDF is pending, `rendered_at` is when its render was claimed (when it is ready, when it was made); a
    claim older than STALE_CLAIM was a worker that died and is taken over."""
    now = timezone.now()
    return (
        RapportPdf.objects.filter(pk=pdf_id, status=RapportPdf.Status.PENDING)
        .filter(Q(rendered_at__isnull=True) | Q(rendered_at__lt=now - STALE_CLAIM))
        .update(rendered_at=now)
        == 1
    )


def rapport_pdf_render(*, pdf_id) -> RapportPdf:
    """Render a pending PDF and keep it with its SHA-256, pages and verification code (a PDF that is ready, or being
    rendered by another worker, is left as it is)."""
    if not _claim(pdf_id):
        return RapportPdf.objects.get(pk=pdf_id)
    pdf = RapportPdf.objects.select_related("rapport__case", "rapport__unit").get(pk=pdf_id)
    try:
        if rapport_content_hash(rapport=pdf.rapport, language=pdf.language) != pdf.content_hash:
            # The rapport changed since this PDF was asked for: the page asks for the new content's PDF instead.
            raise ValueError("the rapport changed before its PDF was rendered")
        document = render_rapport(rapport=pdf.rapport, language=pdf.language)
    except Exception as exc:
        logger.error("rapport pdf %s not rendered (%s)", pdf.pk, type(exc).__name__)
        # Only a PDF still pending: one that another worker finished meanwhile (after taking over a stale claim) stays.
        RapportPdf.objects.filter(pk=pdf.pk, status=RapportPdf.Status.PENDING).update(status=RapportPdf.Status.FAILED)
        raise
    with transaction.atomic():
        current = RapportPdf.objects.select_for_update().get(pk=pdf.pk)
        if current.status != RapportPdf.Status.PENDING:
            return current
        current.file.save(f"{current.pk}.pdf", ContentFile(document.content), save=False)
        current.sha256 = document.sha256
        current.pages = document.pages
        current.verification_code = document.verification_code
        current.status = RapportPdf.Status.READY
        current.rendered_at = timezone.now()
        current.save(update_fields=["file", "sha256", "pages", "verification_code", "status", "rendered_at"])
    return current


def rapport_mark_printed(*, rapport: Rapport, actor: User) -> Rapport:
    """Record that the head printed the approved (or registered) rapport: who and when, the first time only."""
    with transaction.atomic():
        current = Rapport.objects.select_for_update().get(pk=rapport.pk)
        if current.status not in PRINTABLE:
            raise ValidationError(_("Only an approved or registered rapport is printed."))
        if current.printed_at is not None:
            return current
        current.printed_at = timezone.now()
        current.printed_by = actor
        set_history(current, actor=actor, reason="printed")
        current.save(update_fields=["printed_at", "printed_by", "updated_at"])
    return current


def rapport_pdf_downloaded(*, pdf: RapportPdf, actor: User) -> None:
    """A head's download of an approved or registered rapport's PDF is its printing: mark the rapport printed."""
    if not (actor.is_superuser or actor.has_role(Role.SUPERVISOR)):
        return
    if pdf.rapport.status in PRINTABLE and pdf.rapport.printed_at is None:
        rapport_mark_printed(rapport=pdf.rapport, actor=actor)
