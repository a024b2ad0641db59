"""The duty unit's triage in a real browser: a 1899 call reaches the Alamudun duty unit; the duty officer signs in to
their due items, opens the triage queue from the menu, takes the report up and marks it done with a note; the 1899
desk is told, and the case has its officer.

Checks rest on ids, URLs, CSS classes and the database; the screenshots under test-results/e2e/ are for looking at.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import OutboxMessage, Unit, User
from cases.models import Case
from referrals.services import hotline_call_record
from screening.models import Obligation

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NOTE = "Участкалык инспектор Осмонов жөнөтүлдү, №45"


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_the_duty_officer_takes_up_a_1899_report_from_the_triage_queue_and_marks_it_done(
    login, page, new_context, shot
):
    operator = User.objects.get(username="hotline")
    call = hotline_call_record(
        operator=operator,
        data={"caller": "anonymous", "summary": "Кошунасы кызды үйдө камап коюптур.", "urgency": "immediate",
              "district": Unit.objects.get(code="alamudun")},
    )  # fmt: skip
    take_up = call.case.obligations.get(code="take_up_report")
    row = f"#item-{take_up.pk}"

    # the first page after signing in: the duty officer's own due items, the report among them (for the duty officer)
    login(page, "duty_officer", first_page=True)
    assert page.url.endswith("/referrals/my/"), page.url
    expect(page.locator(row)).to_be_visible()
    expect(page.locator("nav.due-tabs a[aria-current=page]")).to_have_attribute("href", "?tab=all")
    shot(page, "40-triage-ky-duty-officer-my-items")

    # the menu leads to the queue; its badge counts what is overdue, the report (due at once) first among them
    triage_link = page.locator(".mainnav a[href$='/referrals/triage/']")
    expect(triage_link.locator(".badge-alert")).to_be_visible()
    _go(page, ".mainnav a[href$='/referrals/triage/']")
    expect(page.locator(f"{row} a[href='/cases/{call.case_id}/']")).to_have_text(call.case.number)
    expect(page.locator(f"{row}.overdue .badge-alert")).to_be_visible()  # a word, not colour alone
    expect(page.locator(f"{row} form[action$='/claim/'] button")).to_be_visible()
    shot(page, "41-triage-ky-queue")

    # take it: the page comes back at the row, now held by the duty officer, without the button
    _go(page, f"{row} form[action$='/claim/'] button")
    assert page.url.endswith(f"/referrals/triage/#item-{take_up.pk}"), page.url
    expect(page.locator(".msg-success")).to_be_visible()
    expect(page.locator(f"{row} form[action$='/claim/']")).to_have_count(0)
    duty_officer = User.objects.get(username="duty_officer")
    assert Obligation.objects.get(pk=take_up.pk).assignee == duty_officer
    assert Case.objects.get(pk=call.case_id).assigned_officer == duty_officer
    shot(page, "42-triage-ky-taken")

    # done, with a note of what was done
    page.fill(f"#item-{take_up.pk}-note", NOTE)
    _go(page, f"{row} form[action$='/done/'] button")
    expect(page.locator(".msg-success")).to_be_visible()
    expect(page.locator(row)).to_have_count(0)
    shot(page, "43-triage-ky-done")

    done = Obligation.objects.get(pk=take_up.pk)
    assert (done.status, done.done_by, done.note) == ("done", duty_officer, NOTE)
    told = OutboxMessage.objects.filter(recipient=operator, kind="report_taken_up", channel="in_app")
    assert [m.payload["params"]["case_number"] for m in told] == [call.case.number]
    assert re.fullmatch(r"[A-Z-]+-\d{4}-\d{5}", call.case.number)

    # on a phone the queue's rows and their forms fit the screen: nothing scrolls sideways
    phone = login(new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page(), "duty_officer")
    _go(phone, ".mainnav a[href$='/referrals/triage/']")
    expect(phone.locator(".due-item").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    shot(phone, "44-triage-ky-phone-queue")
