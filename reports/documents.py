"""The rapport as an official police document (ARCHITECTURE §7): its HTML in Kyrgyz or Russian, and the A4 PDF
WeasyPrint makes of it with the shared setup of trafficking_cms/pdf.py (one font configuration and style sheet per
process) and static/pdf/rapport.css.

The verification code printed at the foot of every page is the first 16 hex digits of the SHA-256 of the PDF rendered
*without* the code; the PDF is then rendered again with the code stamped in, and that file, the one stored and
downloaded, keeps its own SHA-256 (`RapportPdf.sha256`). Two renders, because a document cannot carry the hash of its
own bytes: the code ties a printed page to its stored record (look it up by `RapportPdf.verification_code`), the
file's hash proves the file. The draft is not kept, and a later render need not give the same bytes (subset fonts carry
the time they were made), so the code is a key to the record, not something to recompute.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from screening.qualification import LABELS
from trafficking_cms.pdf import STATIC_DIR, font_config, own_resources_fetcher, render_pdf

from .models import RAPPORT_ITEMS, Rapport, RapportItem

RAPPORT_TEMPLATE = "reports/rapport_pdf.html"
RAPPORT_CSS = STATIC_DIR / "pdf" / "rapport.css"
CODE_LENGTH = 16
AGGRAVATED_BY_BORDER = "166.2.5"


@dataclass(frozen=True)
class RapportDocument:
    content: bytes
    pages: int
    sha256: str
    verification_code: str


@functools.cache
def rapport_stylesheet():
    """The rapport's own rules (after the shared sheet), parsed once per process."""
    from weasyprint import CSS

    return CSS(filename=str(RAPPORT_CSS), font_config=font_config(), url_fetcher=own_resources_fetcher())


def _person(user) -> dict:
    if user is None:
        return {}
    return {"name": user.get_full_name() or user.username, "position": user.position_display, "rank": user.rank_display}


def rapport_context(rapport: Rapport) -> dict:
    """What the document shows, in the active language: the seven items, the qualification, the people and dates."""
    language = translation.get_language() or "ky"
    items = [
        {
            "number": number,
            "code": code,
            "title": RapportItem(code).label,
            "text": getattr(rapport, code).strip(),
            "unknown": getattr(rapport, f"{code}_unknown") and not getattr(rapport, code).strip(),
        }
        for number, code in enumerate(RAPPORT_ITEMS, start=1)
    ]
    verdict = rapport.qualification_verdict
    articles = list(rapport.qualification_articles or [])
    explanation = rapport.qualification_explanation or {}
    return {
        "rapport": rapport,
        "case": rapport.case,
        "unit": rapport.unit,
        "language": language,
        "items": items,
        "qualification_number": len(items) + 1,
        "verdict_label": LABELS[verdict][language] if verdict in LABELS else "",
        "aggravated_by_border": AGGRAVATED_BY_BORDER in articles,
        "explanation": explanation.get(language) or "",
        "officer": _person(rapport.officer),
        "addressee": _person(rapport.addressee),
        "approver": _person(rapport.approved_by),
        "approved": rapport.status in (Rapport.Status.APPROVED, Rapport.Status.REGISTERED),
        "registered": rapport.status == Rapport.Status.REGISTERED and bool(rapport.kbr_number),
    }


def rapport_html(*, rapport: Rapport, language: str, verification_code: str = "") -> str:
    """The rapport as HTML in Kyrgyz or Russian, as WeasyPrint reads it; without a code it is what the content hash
    is taken of (no time of rendering in it, so the same rapport gives the same HTML)."""
    if language not in Rapport.Language.values:
        raise ValueError(f"no rapport in {language!r}")
    with translation.override(language):
        context = rapport_context(rapport)
        context["verification_code"] = verification_code
        return render_to_string(RAPPORT_TEMPLATE, context)


def rapport_content_hash(*, rapport: Rapport, language: str) -> str:
    """The SHA-256 of what the document says in that language: a PDF is rebuilt only when this changes."""
    return hashlib.sha256(rapport_html(rapport=rapport, language=language).encode("utf-8")).hexdigest()


def render_rapport(*, rapport: Rapport, language: str) -> RapportDocument:
    """Render the PDF twice: without the code (its hash gives the code), then with the code on every page."""
    stylesheets = (rapport_stylesheet(),)
    draft = render_pdf(rapport_html(rapport=rapport, language=language), stylesheets=stylesheets)
    code = hashlib.sha256(draft.content).hexdigest()[:CODE_LENGTH]
    final = render_pdf(
        rapport_html(rapport=rapport, language=language, verification_code=code), stylesheets=stylesheets
    )
    return RapportDocument(
        content=final.content,
        pages=final.pages,
        sha256=hashlib.sha256(final.content).hexdigest(),
        verification_code=code,
    )
