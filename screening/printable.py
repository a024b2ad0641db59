"""The printable screening result for the paper file (issue 11 item 6): one A4 page in the reader's language with the
verdict, the articles, the explanation, the ticked facts by element, the missing elements and warnings, a signature
line, the "confidential" mark, page numbers and a verification code.

It says what the screening page says: the explanation and the person come from `selectors.screening_shown_to` (the
same rules, the same access log, with the action "download"), the facts from `summary.screening_entries`, the labels
from the engine's texts. Rendered with the shared WeasyPrint setup (trafficking_cms/pdf.py).

The verification code is the first 12 hex digits of the SHA-256 of the document's CONTENT (`result_content`: the
canonical JSON of what it says, in its language), not of the PDF's bytes: the same screening printed again in the
same language for a reader with the same rights gives the same code, so a paper copy can be checked against the
system, while the PDF's bytes change with the print date and the layout that fitted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .qualification import LABELS
from .qualification_texts import WARNING_SENTENCES
from .selectors import ScreeningShown
from .summary import screening_entries

RESULT_TEMPLATE = "screening/result_pdf.html"
CODE_LENGTH = 12

# How to keep to one page when many facts were ticked: the normal layout, then a tighter type, then the facts in two
# columns at the tightest type. The first that fits is kept; past the last, the document runs on (pages numbered).
FITS = ("normal", "compact", "tight")


@dataclass(frozen=True)
class PrintedResult:
    content: bytes
    pages: int
    code: str
    language: str


def result_content(shown: ScreeningShown, *, language: str) -> dict:
    """What the document says, as plain values in `language` (the active language): the input of the code and of the
    template."""
    screening = shown.screening
    case = screening.case
    author = screening.created_by
    with translation.override(language):
        return {
            "language": language,
            "screening": str(screening.pk),
            "case_number": case.number,
            "unit": case.unit.display_name if case.unit_id else "",
            "screened_at": timezone.localtime(screening.created_at).strftime("%d.%m.%Y %H:%M"),
            "author": author.get_full_name() or author.username,
            "verdict": screening.verdict,
            "verdict_label": LABELS[screening.verdict][language],
            "articles": list(screening.articles),
            "child": screening.child,
            "person": _person(shown),
            "person_not_identified": screening.person_not_identified,
            "act_date": screening.act_date.strftime("%d.%m.%Y") if screening.act_date else "",
            "act_date_unknown": screening.act_date_unknown,
            "explanation": shown.explanation,
            "entries": [asdict(entry) for entry in screening_entries(screening, language)],
            "missing": [LABELS[code][language] if code in LABELS else code for code in screening.missing],
            "warnings": [
                WARNING_SENTENCES[code][language] if code in WARNING_SENTENCES else code for code in screening.warnings
            ],
        }


def _person(shown: ScreeningShown) -> str | None:
    """Whom the screening was about, as the screening page says it: the name; "" for a person recorded in the case
    when the reader's role sees no personal data; None when no person was chosen."""
    screening = shown.screening
    if screening.victim_id is None:
        return None
    return "" if shown.personal_data_hidden else str(screening.victim)


def verification_code(content: dict) -> str:
    """The first 12 hex digits of the SHA-256 of the content as canonical JSON (sorted keys, UTF-8)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:CODE_LENGTH]


def result_html(content: dict, *, code: str, fit: str = "normal") -> str:
    """The document as HTML in the content's language, as WeasyPrint reads it, at one of the FITS."""
    language = content["language"]
    with translation.override(language):
        return render_to_string(
            RESULT_TEMPLATE,
            {"c": content, "code": code, "fit": fit, "printed_at": timezone.localtime(), "language": language},
        )


def result_pdf(shown: ScreeningShown, *, language: str) -> PrintedResult:
    """Render the result: the first of the FITS that keeps to one page (else the last, on more pages)."""
    # Imported here: trafficking_cms.pdf reads settings.BASE_DIR when first imported (see the report of issue 11).
    from trafficking_cms.pdf import render_pdf

    content = result_content(shown, language=language)
    code = verification_code(content)
    for fit in FITS:
        rendered = render_pdf(result_html(content, code=code, fit=fit))
        if rendered.pages == 1:
            break
    return PrintedResult(content=rendered.content, pages=rendered.pages, code=code, language=language)
