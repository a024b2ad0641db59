"""Privacy in a real browser: the rate-limited duplicate check tells the officer why, and keeps what was typed."""

import pytest
from django.db.models import Q
from playwright.sync_api import expect

from cases.models import Case

pytestmark = pytest.mark.browser


def test_a_rate_limited_duplicate_check_shows_why_and_keeps_the_form(login, page, shot, settings):
    # given the limit is one check per window
    settings.DUPLICATE_CHECK_RATE = (1, 600)
    login(page, "inspector")
    case = Case.objects.filter(
        Q(created_by__username="inspector") | Q(assigned_officer__username="inspector"), unit__code="alamudun"
    ).first()
    page.goto(page.url.split("/cases/")[0] + f"/cases/{case.pk}/victims/new/")

    # when the officer types a name (one check) and then another field (a second check)
    with page.expect_response(lambda r: r.url.endswith("/victims/duplicates/")) as first:
        page.fill("#id_last_name", "Сыдыкова")
        page.locator("#id_last_name").blur()
    assert first.value.status == 200
    with page.expect_response(lambda r: r.url.endswith("/victims/duplicates/")) as second:
        page.fill("#id_first_name", "Айпери")
        page.locator("#id_first_name").blur()

    # then the second answer is 429, its message is shown in place, and the typed values stay
    assert second.value.status == 429
    expect(page.locator("#duplicates [role=alert]")).to_be_visible()
    expect(page.locator("#id_last_name")).to_have_value("Сыдыкова")
    expect(page.locator("#id_first_name")).to_have_value("Айпери")
    shot(page, "privacy-duplicate-check-rate-limited")


def test_a_head_finds_in_the_access_log_who_probed_a_phone(login, new_context, shot):
    # given the inspector ran a duplicate check with a phone number while adding a person
    inspector = login(new_context().new_page(), "inspector")
    case = Case.objects.filter(
        Q(created_by__username="inspector") | Q(assigned_officer__username="inspector"), unit__code="alamudun"
    ).first()
    inspector.goto(inspector.url.split("/cases/")[0] + f"/cases/{case.pk}/victims/new/")
    with inspector.expect_response(lambda r: r.url.endswith("/victims/duplicates/")) as check:
        inspector.fill("#id_phone", "0555 12 34 56")
        inspector.locator("#id_phone").blur()
    assert check.value.status == 200

    # when the head of the department opens the access log from the menu and types the number as written elsewhere
    head = login(new_context().new_page(), "supervisor")
    head.locator(".mainnav a[href$='/cases/access-log/']").click()
    shot(head, "privacy-access-log-ky")
    head.fill("#id_phone", "+996 (555) 123-456")
    with head.expect_navigation():
        head.locator("form.filters button[type=submit]").click()

    # then the check is listed with the inspector's name and the case number, and no number is shown in the table
    rows = head.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(case.number)
    expect(rows.first).not_to_contain_text("555")
    shot(head, "privacy-access-log-probe-found-ky")
