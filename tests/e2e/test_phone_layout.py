"""The pages on a 390 px phone in Kyrgyz (the longest texts): nothing scrolls sideways, touch targets are at least
40 px high, the case list's filters fold away, the search hint is not cut off; and the case list on a desktop.

Each page is measured in the browser (document.scrollWidth against the window, element boxes), and photographed.
"""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, Victim
from screening.models import Screening

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_TOUCH = 40  # px, the height of anything a thumb must hit

# What a thumb must hit: buttons, fields, the fold's summary, links that stand alone (menus, lists, tables, pagers,
# breadcrumbs) and the labels of checkboxes. Links inside running text are not targets of their own.
TOUCH_TARGETS = ", ".join(
    [
        "button",
        ".button",
        "input[type=submit]",
        "select",
        "input[type=text]",
        "input[type=search]",
        "input[type=date]",
        "input[type=datetime-local]",
        "input[type=number]",
        "input[type=password]",
        "summary",
        ".mainnav a",
        ".pager a",
        ".table td a",
        ".list a",
        ".crumbs a",
        ".actions a",
        "input[type=checkbox] + label",
    ]
)


# ---------------------------------------------------------------------------
# Measures
# ---------------------------------------------------------------------------
def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _wider_than_the_window(page) -> list[str]:
    """The elements whose right edge lies beyond the window, to say what pushes the page sideways."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.offsetParent !== null)
            .slice(0, 8)
            .map(e => `${e.tagName.toLowerCase()}.${e.className} «${(e.textContent || '').trim().slice(0, 40)}»`)"""
    )


def _small_touch_targets(page) -> list[str]:
    return page.evaluate(
        """([selector, minimum]) => [...document.querySelectorAll(selector)]
            .filter(e => e.offsetParent !== null && e.getClientRects().length)
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, box]) => box.height > 0 && box.height < minimum - 0.5)
            .map(([e, box]) => `${e.tagName.toLowerCase()}.${e.className} «${(e.textContent || e.value || '').trim()
                .slice(0, 30)}» ${box.height.toFixed(1)} px`)""",
        [TOUCH_TARGETS, MIN_TOUCH],
    )


def _cut_off_placeholders(page) -> list[str]:
    """Placeholders wider than their field's text box, measured with the field's own font."""
    return page.evaluate(
        """() => {
            const context = document.createElement('canvas').getContext('2d');
            return [...document.querySelectorAll('input[placeholder]')].filter(e => e.offsetParent !== null)
              .filter(e => {
                const style = getComputedStyle(e);
                context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return context.measureText(e.placeholder).width > room;
              }).map(e => `${e.name}: «${e.placeholder}»`);
        }"""
    )


def _check_page(page, shot, name: str, *, touch: bool = True) -> list[str]:
    """Photograph the page and return what is wrong with it on this screen."""
    shot(page, name)
    problems = []
    if _sideways_overflow(page) > 0:
        problems.append(f"{name}: scrolls sideways by {_sideways_overflow(page)} px: {_wider_than_the_window(page)}")
    if touch and (small := _small_touch_targets(page)):
        problems.append(f"{name}: touch targets under {MIN_TOUCH} px: {small}")
    if cut := _cut_off_placeholders(page):
        problems.append(f"{name}: placeholders cut off: {cut}")
    return problems


def _phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


def _go(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url


def _child_case() -> Case:
    return Victim.objects.select_related("case").get(last_name="Сыдыкова", first_name="Айпери").case


# ---------------------------------------------------------------------------
# 1. Nothing scrolls sideways on a phone, and everything a thumb hits is 40 px high
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_inspectors_pages_fit_a_phone(login, new_context, shot, demo_data, language):
    page = _phone(new_context)
    login(page, "inspector")
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")
    expect(page.locator("html")).to_have_attribute("lang", language)
    case = _child_case()
    child = case.victims.get(last_name="Сыдыкова")
    screening = Screening.objects.filter(case=case).first()
    base = demo_data.url
    pages = {
        "case-list": "/cases/",
        "case-page": f"/cases/{case.pk}/",
        "person-page": f"/cases/victims/{child.pk}/",
        "new-case": "/cases/new/",
        "case-edit": f"/cases/{case.pk}/edit/",
        "new-person": f"/cases/{case.pk}/victims/new/",
        "person-edit": f"/cases/victims/{child.pk}/edit/",
        "new-suspect": f"/cases/{case.pk}/suspects/new/",
        "new-site": f"/cases/{case.pk}/sites/new/",
        "screening": f"/screening/{screening.pk}/",
        "notifications": "/notifications/",
        "not-found": "/cases/no-such-page/",
    }
    problems = []
    for name, path in pages.items():
        _go(page, base + path)
        problems += _check_page(page, shot, f"30-phone-{language}-{name}")
    # The wizard's step tabs are laid out by the wizard's own work: here only that the page does not scroll sideways.
    _go(page, f"{base}/screening/cases/{case.pk}/new/")
    problems += _check_page(page, shot, f"30-phone-{language}-wizard", touch=False)

    assert problems == []


@pytest.mark.parametrize("username", ["supervisor", "oblast_head", "intl_cooperation", "hotline", "analyst"])
def test_every_roles_first_pages_fit_a_phone_in_kyrgyz(login, new_context, shot, demo_data, username):
    page = _phone(new_context)
    login(page, username)
    problems = _check_page(page, shot, f"31-phone-ky-{username}-case-list")
    if username == "supervisor":
        _go(page, f"{demo_data.url}/cases/access-log/")
        problems += _check_page(page, shot, "31-phone-ky-supervisor-access-log")
    if username == "hotline":
        _go(page, f"{demo_data.url}/cases/new/")
        problems += _check_page(page, shot, "31-phone-ky-hotline-new-case")

    assert problems == []


def test_the_login_page_fits_a_phone(demo_data, new_context, shot):
    page = _phone(new_context)
    _go(page, f"{demo_data.url}/login/")

    assert _check_page(page, shot, "32-phone-ky-login") == []


# ---------------------------------------------------------------------------
# 2. The case list: filters fold away on a phone, sort from the fold; every column fits a desktop
# ---------------------------------------------------------------------------
def test_the_case_list_filters_fold_away_on_a_phone_and_open_on_demand(login, new_context, shot):
    page = _phone(new_context)
    login(page, "supervisor")
    fold = page.locator("details.filter-more")

    expect(page.locator("input[type=search][name=q]")).to_be_visible()  # the search stays in sight
    expect(fold).not_to_have_attribute("open", re.compile(".*"))
    expect(page.locator("#id_status")).to_be_hidden()
    expect(page.locator("#case-rows tbody tr").first).to_be_in_viewport()  # the cases come first
    shot(page, "33-phone-ky-filters-folded")

    page.locator("details.filter-more > summary").tap()
    expect(page.locator("#id_status")).to_be_visible()
    with page.expect_response(lambda r: "sort=due" in r.url and r.request.headers.get("hx-request") == "true"):
        page.select_option("#id_sort", "due")
    expect(page.locator("#case-rows tbody tr").first).to_be_visible()
    shot(page, "33-phone-ky-filters-open-sorted-by-due")
    assert _sideways_overflow(page) <= 0


def test_the_case_list_filters_stay_open_on_a_desktop(login, page):
    login(page, "supervisor")

    expect(page.locator("details.filter-more")).to_have_attribute("open", "")
    expect(page.locator("#id_status")).to_be_visible()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_case_list_fits_a_desktop_with_its_due_columns(login, new_context, shot, language):
    page = new_context(viewport=DESKTOP).new_page()
    login(page, "oblast_head")  # the widest list: every unit's column
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")
    with page.expect_navigation():
        page.locator("th a.sort", has_text=re.compile(".")).nth(2).click()  # the next due item
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    shot(page, f"34-desktop-{language}-case-list-by-due")

    assert _sideways_overflow(page) <= 0, _wider_than_the_window(page)


def test_the_case_list_fits_a_tablet_as_cards(login, new_context, shot):
    page = new_context(viewport={"width": 1024, "height": 768}).new_page()
    login(page, "oblast_head")

    expect(page.locator("#case-rows thead")).to_be_hidden()
    expect(page.locator("#id_sort")).to_be_visible()  # the sort, without the headers
    shot(page, "34-tablet-ky-case-list")
    assert _sideways_overflow(page) <= 0, _wider_than_the_window(page)


def test_the_search_hint_is_shown_in_full_on_a_phone(login, new_context):
    page = _phone(new_context)
    login(page, "inspector")
    hint = page.locator("#id_q_hint")

    expect(hint).to_be_visible()
    assert hint.evaluate("e => e.scrollWidth <= e.clientWidth && e.getBoundingClientRect().right <= innerWidth")
    assert page.locator("#id_q").get_attribute("aria-describedby") == "id_q_hint"
    assert _cut_off_placeholders(page) == []
