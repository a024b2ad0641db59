"""The rapport in a real browser: an investigator of Alamudun writes the rapport of a case of violence against a woman
(due immediately), is told which items are missing, completes and submits it; the head finds it first in the print
queue, approves it and registers it in the КБР.

Checks rest on ids, URLs, CSS classes and the database; the screenshots under test-results/e2e/ are for looking at.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from reports.models import Rapport

pytestmark = pytest.mark.browser


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_rapport_due_immediately_is_written_submitted_approved_and_registered(login, page, new_context, shot):
    case = Case.objects.filter(unit__code="alamudun", screenings__violence_against_women=True).distinct().first()
    assert case is not None, "the demo has a case of violence against a woman in Alamudun"
    Rapport.objects.filter(case=case).delete()  # the demo may have written one: start from none

    # the case page shows the rapport as due immediately and leads to it
    login(page, "investigator")
    page.goto(f"{page.url.split('/cases/')[0]}/cases/{case.pk}/")
    expect(page.locator("#rapport .badge-alert")).to_be_visible()
    shot(page, "59-rapport-ky-case-panel")
    _go(page, "#rapport a.button")
    expect(page.locator("#due-immediately")).to_be_visible()
    shot(page, "60-rapport-ky-start")

    # started from the case: the place is prefilled, the traces and the consequences are not (nor the sites: none)
    _go(page, "#rapport-start button[type=submit]")
    expect(page.locator("#id_circumstances")).not_to_be_empty()
    _go(page, "#rapport-form button[name=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary a[href='#id_traces']")).to_be_visible()
    expect(page.locator("#error-summary a[href='#id_consequences']")).to_be_visible()
    shot(page, "61-rapport-ky-missing-items")

    page.fill("#id_traces", "Колунда көгала бар.")
    page.check("#id_consequences_unknown")
    if not page.input_value("#id_sites"):
        page.check("#id_sites_unknown")
    _go(page, "#rapport-form button[name=submit]")
    expect(page.locator(".msg-success")).to_be_visible()
    shot(page, "62-rapport-ky-submitted")
    assert Rapport.objects.get(case=case).status == Rapport.Status.SUBMITTED

    # the head: the print queue from the menu, this rapport first and due immediately
    head = new_context().new_page()
    login(head, "supervisor")
    _go(head, ".mainnav a[href$='/reports/print-queue/']")
    first_row = head.locator("#print-queue tbody tr").first
    expect(first_row.locator(".badge-alert")).to_be_visible()
    expect(first_row.locator(f"a[href$='/reports/cases/{case.pk}/rapport/']")).to_have_text(case.number)
    shot(head, "63-rapport-ky-print-queue")

    _go(head, f"#print-queue a[href$='/reports/cases/{case.pk}/rapport/']")
    _go(head, "#head-decision form[action$='/approve/'] button")
    expect(head.locator(".msg-success")).to_be_visible()
    # the head reads it in Russian: the page, the statuses and the items' titles follow the reader's language
    _go(head, ".langswitch button[value=ru]")
    expect(head.locator("html")).to_have_attribute("lang", "ru")
    head.fill("#register-kbr_number", "01-2026-004512")
    head.fill("#register-kbr_registered_at", timezone.localdate().isoformat())
    shot(head, "64-rapport-ru-register")
    _go(head, "#register button[type=submit]")
    expect(head.locator(".msg-success")).to_be_visible()
    shot(head, "65-rapport-ru-registered")

    rapport = Rapport.objects.get(case=case)
    assert rapport.status == Rapport.Status.REGISTERED and rapport.kbr_number == "01-2026-004512"
    assert Case.objects.get(pk=case.pk).kbr_number == "01-2026-004512"


def test_the_head_approves_a_rapport_downloads_its_pdf_and_sees_it_marked_printed(login, page, shot):
    waiting = Rapport.objects.select_related("case").get(status=Rapport.Status.SUBMITTED, case__unit__code="alamudun")
    registered = Rapport.objects.get(status=Rapport.Status.REGISTERED, case__unit__code="alamudun")

    # the demo's registered rapport was printed to PDF when the demo was loaded: ready to download in both languages
    login(page, "supervisor")
    base = page.url.split("/", 3)[:3]
    page.goto("/".join(base) + f"/reports/cases/{registered.case_id}/rapport/")
    expect(page.locator("#rapport-pdf .rapport-pdf-row[data-status=ready]")).to_have_count(2)
    shot(page, "66-rapport-ky-registered-pdfs")

    # the rapport waiting for the head: from the print queue, approved
    _go(page, ".mainnav a[href$='/reports/print-queue/']")
    shot(page, "67-rapport-ky-print-queue-waiting")
    _go(page, f"#print-queue a[href$='/reports/cases/{waiting.case_id}/rapport/']")
    shot(page, "68-rapport-ky-waiting-for-approval")
    _go(page, "#head-decision form[action$='/approve/'] button")
    expect(page.locator(".msg-success")).to_be_visible()

    # its PDF in Kyrgyz, made by the task, then downloaded
    _go(page, "#rapport-pdf .rapport-pdf-row[data-language=ky] button[type=submit]")
    link = page.locator("#rapport-pdf .rapport-pdf-row[data-language=ky] a.pdf-download")
    expect(link).to_be_visible(timeout=30_000)
    shot(page, "69-rapport-ky-pdf-ready")
    with page.expect_download() as download:
        link.click()
    content = open(download.value.path(), "rb").read()  # noqa: SIM115 (a test reads the file once)
    assert content.startswith(b"%PDF") and download.value.suggested_filename.endswith(".pdf")

    # the head's download of an approved rapport marks it printed, with who and when
    page.reload()
    expect(page.locator("#rapport-pdf .printed")).to_be_visible()
    shot(page, "70-rapport-ky-printed")
    rapport = Rapport.objects.get(pk=waiting.pk)
    assert rapport.status == Rapport.Status.APPROVED and rapport.printed_by.username == "supervisor"
