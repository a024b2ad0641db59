"""The rapport's PDF: ask for it in Kyrgyz or Russian, watch it being made (htmx polls the panel), download it (each
download written to the access log; a head's download of an approved rapport marks it printed), mark it printed."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.readers import reader_from

from . import pdf_selectors, pdf_services
from .pdf_forms import RapportPdfForm

PANEL = "reports/_rapport_pdf_panel.html"


def _back(request: HttpRequest, rapport_id: UUID) -> HttpResponse:
    """Back to the page the button was on (the rapport's page), else to the PDF's own page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(f"{referer.split('#', 1)[0]}#rapport-pdf")
    return redirect(reverse("reports:rapport_pdf_status", args=[rapport_id]))


@login_required
@require_POST
def rapport_pdf_create(request: HttpRequest, rapport_id: UUID) -> HttpResponse:
    """Start the PDF in the language chosen (or try a failed one again); the panel shows it once the task made it."""
    rapport = pdf_selectors.rapport_get_for_pdf(user=request.user, rapport_id=rapport_id)
    form = RapportPdfForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the document: Kyrgyz or Russian."))
    else:
        try:
            pdf_services.rapport_pdf_request(
                rapport=rapport, language=form.cleaned_data["language"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _back(request, rapport.pk)


@login_required
@require_safe
def rapport_pdf_status(request: HttpRequest, rapport_id: UUID) -> HttpResponse:
    """The PDF panel: htmx polls it while a PDF is being made; without htmx, a page of its own."""
    rapport = pdf_selectors.rapport_get_for_pdf(user=request.user, rapport_id=rapport_id)
    template = PANEL if request.htmx else "reports/rapport_pdf_status.html"
    return render(request, template, {"rapport": rapport})


@login_required
@require_safe
@never_cache  # personal data: no copy kept by a browser or a proxy
def rapport_pdf_download(request: HttpRequest, pdf_id: UUID) -> FileResponse:
    pdf = pdf_selectors.rapport_pdf_get_for_download(reader=reader_from(request), pdf_id=pdf_id)
    pdf_services.rapport_pdf_downloaded(pdf=pdf, actor=request.user)
    response = FileResponse(
        pdf.file.open("rb"),
        as_attachment=True,
        filename=f"rapport-{pdf.rapport.case.number}-{pdf.language}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Language"] = pdf.language
    return response


@login_required
@require_POST
def rapport_mark_printed(request: HttpRequest, rapport_id: UUID) -> HttpResponse:
    """The head's button: the approved rapport was printed."""
    rapport = pdf_selectors.rapport_get_for_printing(user=request.user, rapport_id=rapport_id)
    try:
        pdf_services.rapport_mark_printed(rapport=rapport, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, rapport.pk)
