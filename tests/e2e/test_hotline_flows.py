"""The 1899 desk in a real browser, in Kyrgyz: the operator files a call for Alamudun; the duty officer finds the
caller's contacts on the case page (the caller agreed to a call back), takes the report up, makes the rights and
contacts sheet and records that it was handed over; the case is registered in the КБР; the operator is told, sees the
registration on the calls list and closes the call.

Checks rest on ids, URLs, CSS classes and the database; the screenshots under test-results/e2e/ are for looking at.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, Unit, User
from cases.models import Case, OfficerStep
from cases.services import case_update
from referrals.models import HotlineCall, Recipient, RightsSheet
from screening.models import Obligation
from screening.services import obligation_complete

pytestmark = pytest.mark.browser

CALLER_PHONE = "+996 555 77 66 55"


def _go(page, selector: str, timeout: float | None = None) -> None:
    with page.expect_navigation(timeout=timeout):
        page.click(selector, timeout=timeout)


def test_the_desk_files_a_call_follows_it_to_the_registration_and_closes_it(login, new_context, shot):
    # the operator records a call for Alamudun from the menu
    desk = login(new_context().new_page(), "hotline")
    _go(desk, ".mainnav a[href$='/referrals/hotline/']")
    _go(desk, "#main-action")
    alamudun = Unit.objects.get(code="alamudun")
    desk.select_option("#id_caller", "relative")
    desk.fill("#id_caller_name", "Бекова Жылдыз")
    desk.fill("#id_caller_phone", CALLER_PHONE)
    desk.check("#id_callback_consent")
    desk.fill("#id_summary", "Карындашы Алматыга жумушка кеткен, паспортун алып коюшуптур, үйгө чала албай жатат.")
    desk.fill("#id_place", "Аламүдүн району, Лебединовка")
    desk.select_option("#id_urgency", "urgent")
    desk.select_option("#id_district", str(alamudun.pk))
    expect(desk.locator("#id_district optgroup")).not_to_have_count(0)  # districts grouped by oblast
    shot(desk, "hotline-01-intake-form-ky")
    _go(desk, "form.form button.primary[type=submit]")

    # The phone is encrypted at rest (no query can compare it): the newest call of the operator, then its phone.
    call = HotlineCall.objects.filter(operator__username="hotline").latest("received_at")
    assert call.caller_phone == CALLER_PHONE
    case = call.case
    assert (case.unit, case.source, call.operator.username) == (alamudun, "hotline_1899", "hotline")
    row = desk.locator(f"#calls tr[data-call='{call.pk}']")
    expect(row).to_contain_text(case.number)
    expect(row.locator(".not-yet")).to_have_count(2)  # not taken up, not registered
    shot(desk, "hotline-02-call-listed-ky")

    # the duty officer opens the report: the caller agreed, so the name and phone are there
    duty = login(new_context().new_page(), "duty_officer")
    duty.goto(duty.url.split("/cases/")[0] + case.get_absolute_url())
    expect(duty.locator("#hotline-call")).to_contain_text(CALLER_PHONE)
    duty_officer = User.objects.get(username="duty_officer")
    obligation_complete(
        obligation=Obligation.objects.get(case=case, code="take_up_report"), actor=duty_officer, note="Кабыл алынды"
    )

    # and makes the rights and contacts sheet in Russian, with the oblast's crisis centre from the directory, then
    # records that it was handed over
    Recipient.objects.create(
        kind=Recipient.Kind.CRISIS_CENTRE, region=alamudun.parent, name_ru="Кризисный центр «Сезим»",
        organisation=Organisation.objects.create(name="«Сезим» кризистик борбору", kind="crisis_centre"),
        services=["shelter", "psychological", "legal"], phone="+996 312 00 11 22", hours="24/7",
        address="Бишкек ш., Жаңы-Жер көч., 7", agreement_reference="№ 3, 15.01.2026",
        agreement_categories=["identity", "contacts", "health"],
    )  # fmt: skip
    # (tasks run eagerly here: the request renders the PDF, and WeasyPrint's first start is slow on a busy machine)
    _go(duty, "#rights-sheet button[name=language][value=ru]", timeout=60_000)
    sheet = RightsSheet.objects.get(case=case)
    expect(duty.locator(f"#sheet-{sheet.pk}")).to_have_attribute("data-status", "ready")
    with duty.expect_download() as download:
        duty.click(f"#sheet-{sheet.pk} a.sheet-download")
    assert download.value.suggested_filename == f"{case.number}-ru.pdf"
    shot(duty, "hotline-03-case-page-with-the-call-and-the-sheet-ky")
    _go(duty, f"#sheet-{sheet.pk} form.hand-over button")
    assert OfficerStep.objects.filter(case=case, code="hand_rights_sheet", done_by=duty_officer).exists()
    expect(duty.locator("#rights-sheet .step-done")).to_be_visible()
    expect(duty.locator("#steps [data-step=hand_rights_sheet].done")).to_have_count(1)
    _go(duty, ".mainnav a[href$='/referrals/directory/']")
    expect(duty.locator("#directory")).to_contain_text("+996 312 00 11 22")
    shot(duty, "hotline-04-directory-ky")

    # the case is registered in the КБР, as the duty officer would do it
    case = Case.objects.get(pk=case.pk)
    case_update(
        case=case, actor=duty_officer, version=case.version,
        data={"status": "registered", "kbr_number": "01-2026-004242", "kbr_registered_at": timezone.localdate()},
    )  # fmt: skip

    # the operator is told, and the calls list shows the take-up and the registration
    desk.reload()
    expect(desk.locator(".mainnav a[href$='/notifications/'] .badge")).to_be_visible()
    _go(desk, ".mainnav a[href$='/notifications/']")
    notice = desk.locator("ul.list li.unread", has_text=case.number)
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("КБР")
    shot(desk, "hotline-05-notification-ky")
    _go(desk, f"ul.list li.unread:has-text('{case.number}') a")
    assert re.search(r"/referrals/hotline/$", desk.url)
    row = desk.locator(f"#calls tr[data-call='{call.pk}']")
    expect(row.locator(".registered")).to_contain_text(timezone.localdate().strftime("%d.%m.%Y"))
    expect(row.locator(".not-yet")).to_have_count(0)
    shot(desk, "hotline-06-registered-ky")

    # the call page shows what the operator recorded, and the call is closed from the list
    _go(desk, f"#calls tr[data-call='{call.pk}'] a[href$='/referrals/hotline/{call.pk}/']")
    expect(desk.locator("main")).to_contain_text("Бекова Жылдыз")
    expect(desk.locator(f"main a[href$='{case.get_absolute_url()}']")).to_have_count(0)
    shot(desk, "hotline-07-call-page-ky")
    desk.go_back()
    _go(desk, f"#calls tr[data-call='{call.pk}'] .closed button[type=submit]")
    expect(desk.locator(f"#calls tr[data-call='{call.pk}'] .closed time")).to_be_visible()
    call.refresh_from_db()
    assert call.closed_at is not None
    shot(desk, "hotline-08-call-closed-ky")
