"""The statistics page in a real browser, with the demo data: a head sees exact counts and charts, an analyst sees the
small counts suppressed and the note that explains it; both pages pass axe."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_head_opens_the_statistics_from_the_menu_and_sees_charts_and_tables(login, page, shot):
    login(page, "supervisor")
    page.locator(".mainnav a[href$='/reports/statistics/']").click()

    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.locator("#by-article table caption")).to_be_visible()
    expect(page.locator("#suppression-note")).to_have_count(0)
    shot(page, "stats-supervisor-ky")


def test_an_analyst_sees_the_note_on_small_numbers_in_russian(login, page, shot):
    login(page, "analyst")
    page.goto(page.url.split("/cases/")[0] + "/reports/statistics/")
    page.locator(".langswitch button[value=ru]").click()
    page.wait_for_load_state()

    expect(page.locator("#suppression-note")).to_be_visible()
    assert "/cases/" not in page.locator("main").inner_html()
    shot(page, "stats-analyst-ru")
