"""The rights and contacts sheet (DOMAIN §7 step 3, §9 "Information"): what it says for a case, and the one-page A4 PDF
WeasyPrint makes of it. The fonts are the system's, named in the template's CSS ("DejaVu Sans": ң, ө, ү, №, « »);
tests/referrals/test_rights_sheet.py fails when a glyph would fall back to another font.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cases.models import Case

from .selectors import recipient_contacts_for

SHEET_TEMPLATE = "referrals/rights_sheet.html"
HEALTH_72H = "health_information_72h"


def health_72h_applies(case: Case) -> bool:
    """The 72-hour health information belongs on the sheet when the latest screening found sexual violence against a
    child (DOMAIN §9 "72 hours")."""
    latest = case.screenings.order_by("-created_at").first()
    return bool(latest and latest.child and latest.sexual_violence)


def concerns_a_child(case: Case) -> bool:
    latest = case.screenings.order_by("-created_at").first()
    if latest is not None:
        return latest.child
    return any(victim.is_child for victim in case.victims.select_related("case"))


# How to keep to one page as the directory grows: the normal layout with two contacts of each kind, then a tighter
# type, then one contact of each kind (the nearest).
FITS = ({"compact": False, "per_kind": 2}, {"compact": True, "per_kind": 2}, {"compact": True, "per_kind": 1})


def sheet_context(case: Case, *, officer, compact: bool = False, per_kind: int = 2) -> dict:
    """What the sheet shows, in the active language: no name of the person, only the case, the officer and the help."""
    now = timezone.localtime()
    health_72h = health_72h_applies(case)
    deadline = None
    if health_72h:
        item = case.obligations.filter(code=HEALTH_72H, incident_time_unknown=False).first()
        deadline = timezone.localtime(item.due_at) if item and item.due_at and item.due_at > now else None
    contacts = recipient_contacts_for(unit=case.unit, per_kind=per_kind)  # by kind, nearest first
    return {
        "case": case,
        "officer": officer,
        "unit": case.unit,
        "made_at": now,
        "health_72h": health_72h,
        "health_deadline": deadline,
        "child": concerns_a_child(case),
        "contact_rows": [contacts[i : i + 2] for i in range(0, len(contacts), 2)],  # two to a row
        "compact": compact,
    }


def sheet_html(case: Case, *, language: str, officer, fit: int = 0) -> str:
    """The sheet as HTML in Kyrgyz or Russian, as WeasyPrint reads it, at one of the FITS."""
    with translation.override(language):
        context = sheet_context(case, officer=officer, **FITS[fit])
        context["language"] = language
        return render_to_string(SHEET_TEMPLATE, context)


def render_sheet(case: Case, *, language: str, officer) -> tuple[bytes, int]:
    """The sheet's PDF and its number of pages: the first of the FITS that keeps to one page (else the last)."""
    for fit in range(len(FITS)):
        pdf, pages = sheet_pdf(sheet_html(case, language=language, officer=officer, fit=fit))
        if pages == 1:
            break
    return pdf, pages


def sheet_pdf(html: str) -> tuple[bytes, int]:
    """Render the HTML to a PDF; return its bytes and its number of pages (one is what the layout is made for)."""
    from weasyprint import HTML  # loads Pango: only where a sheet is rendered

    from trafficking_cms.pdf import no_resources_fetcher

    # The sheet loads nothing from outside (no image, no style sheet, no font by URL): every URL is refused.
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=no_resources_fetcher()).render()
    return document.write_pdf(), len(document.pages)
