"""Printing for the paper file, in a real browser: the case page printed from the browser keeps the record and drops
the menu, the language switch, buttons, forms and htmx controls; the screening page's link gives the one-page PDF of
the result in the reader's language.

The printed case page is kept as test-results/e2e/print-case-page.pdf (and PNGs of its first two pages), the downloaded
result as print-screening-result-ky.pdf, for looking at.
"""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Case
from screening.models import Screening
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

# Elements that are controls, not record: none may be visible on paper.
CONTROLS = (
    "header.topbar, nav, .langswitch, form, button, .button, input, select, textarea, "
    "[hx-get], [hx-post], [hx-trigger], .pagehead-actions, .actions"
)
VISIBLE_CONTROLS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => { const box = el.getBoundingClientRect(); const style = getComputedStyle(el);
                    return box.width > 0 && box.height > 0 && style.visibility !== "hidden"; })
  .map((el) => el.outerHTML.slice(0, 120))"""


def _screened_case_of(username: str) -> Case:
    return (
        Case.objects.filter(created_by__username=username, screenings__isnull=False)
        .exclude(status=Case.Status.CLOSED)
        .distinct()
        .order_by("number")
        .first()
    )


def test_the_printed_case_page_shows_the_record_without_buttons_or_forms(login, page, shot, demo_data):
    login(page, "inspector")
    case = _screened_case_of("inspector")
    assert case is not None, "the demo has no screened case of the inspector"
    page.goto(f"{demo_data.url}{case.get_absolute_url()}")
    shot(page, "print-01-case-page-on-screen")
    on_screen = page.evaluate(VISIBLE_CONTROLS, CONTROLS)
    assert on_screen, "the case page should have controls on screen (else this test proves nothing)"

    page.emulate_media(media="print")

    assert page.evaluate(VISIBLE_CONTROLS, CONTROLS) == []
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(case.number)
    expect(page.locator("#steps h2")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(0, 0, 0)"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "print-case-page.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert case.number in text
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(  # noqa: S603 - fixed arguments, our own file
            [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(SCREENSHOTS / "print-case-page")],
            check=True,
            timeout=60,
        )


def test_the_screening_page_link_downloads_the_one_page_result_in_kyrgyz(login, page, shot, demo_data):
    login(page, "inspector")
    screening = (
        Screening.objects.filter(case__created_by__username="inspector", victim__isnull=False)
        .order_by("-created_at")
        .first()
    )
    assert screening is not None
    page.goto(f"{demo_data.url}/screening/{screening.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    shot(page, "print-02-screening-page-with-the-print-link")

    with page.expect_download() as downloading:
        page.click("#result-pdf")

    download = downloading.value
    assert download.suggested_filename.endswith("-ky.pdf")
    content = Path(download.path()).read_bytes()
    (SCREENSHOTS / "print-screening-result-ky.pdf").write_bytes(content)  # for looking at
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Алгачкы баалоонун жыйынтыгы" in text
    assert screening.case.number in text
