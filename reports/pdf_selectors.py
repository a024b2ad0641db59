"""Reads for the rapport's PDFs: who may read a rapport is who may see its case with personal data (the rapport names
the victim), so analysts, NGO staff and anyone outside the case's scope get 404, as for a missing one."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from accounts.readers import Reader
from cases import services as case_services
from cases.denials import logs_denial
from cases.models import PersonalDataAccess
from cases.selectors import case_list_visible_to

from .documents import rapport_content_hash
from .models import Rapport, RapportPdf
from .selectors import user_heads_unit_of, user_may_read_rapports


def _rapports_readable_by(user: User) -> QuerySet[Rapport]:
    if not user.is_authenticated or not user.is_active or not user_may_read_rapports(user=user):
        return Rapport.objects.none()
    return Rapport.objects.filter(case__in=case_list_visible_to(user=user).values("pk"))


@logs_denial("rapport", "rapport_id", model="reports.Rapport")
def rapport_get_for_pdf(*, user: User, rapport_id: UUID | str) -> Rapport:
    """A rapport the user may read and print; Http404 for missing and forbidden alike."""
    rapport = (
        _rapports_readable_by(user)
        .select_related("case", "unit", "officer", "addressee", "approved_by", "printed_by")
        .filter(pk=rapport_id)
        .first()
    )
    if rapport is None:
        raise Http404
    return rapport


@logs_denial("rapport", "rapport_id", model="reports.Rapport")
def rapport_get_for_printing(*, user: User, rapport_id: UUID | str) -> Rapport:
    """A rapport a head of department of its case's unit (or a unit above) may mark printed (the print queue is
    theirs); Http404 to everybody else."""
    rapport = rapport_get_for_pdf(user=user, rapport_id=rapport_id)
    if not (user.is_superuser or user_heads_unit_of(user=user, case=rapport.case)):
        raise Http404
    return rapport


@logs_denial("rapportpdf", "pdf_id", model="reports.RapportPdf", case_path="rapport__case_id")
def rapport_pdf_get_for_user(*, user: User, pdf_id: UUID | str) -> RapportPdf:
    """A PDF of a rapport the user may read; Http404 otherwise."""
    pdf = (
        RapportPdf.objects.filter(rapport__in=_rapports_readable_by(user).values("pk"), pk=pdf_id)
        .select_related("rapport__case")
        .first()
    )
    if pdf is None:
        raise Http404
    return pdf


@logs_denial("rapportpdf", "pdf_id", model="reports.RapportPdf", case_path="rapport__case_id")
def rapport_pdf_get_for_download(*, reader: Reader, pdf_id: UUID | str) -> RapportPdf:
    """A ready PDF to download; the download is written to the access log. Http404 for one not ready or not the
    reader's."""
    pdf = rapport_pdf_get_for_user(user=reader.user, pdf_id=pdf_id)
    if pdf.status != RapportPdf.Status.READY:
        raise Http404
    case_services.personal_data_read_record(
        reader=reader,
        case=pdf.rapport.case,
        record=pdf,
        action=PersonalDataAccess.Action.DOWNLOAD,
        purpose=PersonalDataAccess.Purpose.PRINTING,
    )
    return pdf


def rapport_pdfs_current(*, rapport: Rapport) -> list[tuple[str, str, RapportPdf | None]]:
    """For each language (code, name): the PDF of the rapport's present content, if one was asked for (the caller has
    checked access to the rapport)."""
    hashes = {
        language: rapport_content_hash(rapport=rapport, language=language) for language in Rapport.Language.values
    }
    found = {
        pdf.language: pdf
        for pdf in RapportPdf.objects.filter(rapport=rapport, content_hash__in=hashes.values())
        if hashes[pdf.language] == pdf.content_hash
    }
    return [(code, name, found.get(code)) for code, name in Rapport.Language.choices]
