"""Accessibility in a real browser: every kind of page each role reaches, checked with axe-core (tests/e2e/axe.py) in
Kyrgyz and Russian (and English for the inspector), on a desktop and on a 390 px phone, plus what axe cannot see: the
skip link, the language buttons' names, the focus ring's contrast and the link between a refused field and its error.

The pages are found the way a person finds them: from the menu, the case list and the links on the case and person
pages, so each role is checked on what it is shown. Nothing is saved: the forms are sent only with a refused value.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from cases.models import Victim
from cases.selectors import case_list_visible_to

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SCREENS = {"desktop": {"viewport": DESKTOP}, "phone": PHONE}
ROLES = ["inspector", "supervisor", "analyst", "ngo", "hotline"]
UUID = r"[0-9a-f-]{36}"
# The pages linked from a case page and from a person page, one of each kind is opened (in this order).
LINKED_PAGES = [
    ("case-edit", re.compile(rf"/cases/{UUID}/edit/$")),
    ("person-new", re.compile(rf"/cases/{UUID}/victims/new/$")),
    ("suspect-new", re.compile(rf"/cases/{UUID}/suspects/new/$")),
    ("site-new", re.compile(rf"/cases/{UUID}/sites/new/$")),
    ("screening", re.compile(rf"/screening/{UUID}/$")),
    ("wizard", re.compile(rf"/screening/cases/{UUID}/new/$")),
    ("person", re.compile(rf"/cases/victims/{UUID}/$")),
]
PERSON_PAGES = [("person-edit", re.compile(rf"/cases/victims/{UUID}/edit/$"))]
LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}


class Tour:
    """Walk one user's pages: each shown page is saved as a screenshot and checked by axe (the `shot` fixture)."""

    def __init__(self, page, shot, prefix: str, origin: str):
        self.page, self.shot, self.prefix, self.origin, self.count = page, shot, prefix, origin, 0

    def look(self, name: str) -> None:
        self.count += 1
        self.shot(self.page, f"{self.prefix}-{self.count:02d}-{name}")

    def go(self, path: str, name: str) -> None:
        self.page.goto(self.origin + path)
        self.look(name)

    def links(self, kinds) -> list[tuple[str, str]]:
        """The first link of each kind in the page's main content, as (kind, path)."""
        hrefs = self.page.locator("main a[href]").evaluate_all("links => links.map(a => a.pathname)")
        found = []
        for kind, pattern in kinds:
            match = next((href for href in hrefs if pattern.search(href)), None)
            if match:
                found.append((kind, match))
        return found


def _case_to_open(username: str):
    """A case the user sees with a person in it, a child's first: the richest case page the user has."""
    cases = case_list_visible_to(user=User.objects.get(username=username)).prefetch_related("victims")
    with_people = [case for case in cases if case.victims.all()]
    children = [case for case in with_people if any(victim.is_child for victim in case.victims.all())]
    return (children or with_people or list(cases) or [None])[0]


def _future_local_datetime() -> str:
    return timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")


def _expect_refused_field_is_described(page, field_id: str) -> None:
    """The refused field says it is invalid and names its error message, which is on the page."""
    field = page.locator(f"#{field_id}")
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = (field.get_attribute("aria-describedby") or "").split()
    assert described_by, f"#{field_id} is refused but names no description"
    for element_id in described_by:
        expect(page.locator(f"#{element_id}")).to_have_count(1)
    errors = " ".join(page.locator(f"#{element_id}").inner_text() for element_id in described_by)
    assert errors.strip(), f"#{field_id}'s description is empty"


# ---------------------------------------------------------------------------
# Every page kind of each role, on desktop and phone, in ky and ru: 0 axe violations
# ---------------------------------------------------------------------------
# Each role on a desktop and on a phone; the language alternates (ky/ru, then ru/ky), so each language is seen on both
# screens without walking every combination: what axe checks does not change with the words. The inspector's pages on
# a phone are walked, in ky and in ru, by tests/e2e/test_phone_layout.py, which checks each of them with axe too.
TOURS = [
    (username, ("ky", "ru")[(index + offset) % 2], screen)
    for index, username in enumerate(ROLES)
    for offset, screen in enumerate(SCREENS)
    if (username, screen) != ("inspector", "phone")
]
TOURS += [("analyst", "en", "desktop")]  # English is offered too: one role on one screen is enough


@pytest.mark.parametrize(("username", "language", "screen"), TOURS)
def test_every_page_of_the_role_passes_axe(login, new_context, shot, username, language, screen):
    page = new_context(**SCREENS[screen]).new_page()
    login(page, username)  # checks the login form (Kyrgyz) and the case list
    origin = page.url.split("/cases/")[0]
    tour = Tour(page, shot, f"a11y-{username}-{language}-{screen}", origin)
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")
    expect(page.locator("html")).to_have_attribute("lang", language)
    tour.look("case-list")

    with page.expect_navigation():
        page.locator(".mainnav a[href$='/notifications/']").click()
    tour.look("notifications")

    page.goto(f"{origin}/cases/00000000-0000-4000-8000-000000000000/")
    expect(page.locator("h1")).to_be_visible()
    tour.look("not-found")

    if page.locator(".mainnav a[href$='/cases/access-log/']").count():
        with page.expect_navigation():
            page.locator(".mainnav a[href$='/cases/access-log/']").click()
        tour.look("access-log")
        page.fill("#id_phone", "0555 12 34 56")
        with page.expect_navigation():
            page.locator("form.filters button[type=submit]").click()
        tour.look("access-log-lookup")

    page.goto(f"{origin}/cases/")
    if page.locator("a.button[href$='/cases/new/']").count():
        with page.expect_navigation():
            page.locator("a.button[href$='/cases/new/']").click()
        tour.look("case-new")
        page.fill("#id_incident_at", _future_local_datetime())  # refused: nothing is saved
        with page.expect_navigation():
            page.click("form.form button.primary[type=submit]")
        _expect_refused_field_is_described(page, "id_incident_at")
        tour.look("case-new-refused")

    case = _case_to_open(username)
    if case is not None:
        _tour_case(tour, case)

    with page.expect_navigation():
        page.locator("form[action$='/logout/'] button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    tour.look("login")
    page.fill("#id_username", username)
    page.fill("#id_password", "not the password")
    with page.expect_navigation():
        page.locator("form[action$='/login/'] button[type=submit]").click()
    expect(page.locator("[role=alert]")).to_be_visible()
    tour.look("login-refused")


def _tour_case(tour: Tour, case) -> None:
    tour.go(f"/cases/{case.pk}/", "case")
    linked = tour.links(LINKED_PAGES)
    for kind, path in linked:
        tour.go(path, kind)
        if kind == "person-new":
            _show_possible_duplicate(tour, case)
        if kind == "person":
            for person_kind, person_path in tour.links(PERSON_PAGES):
                tour.go(person_path, person_kind)


def _show_possible_duplicate(tour: Tour, case) -> None:
    """Type the name of the case's own person: the possible-match box appears."""
    page = tour.page
    victim = Victim.objects.filter(case=case).exclude(last_name="").first()
    if victim is None:
        return
    page.fill("#id_last_name", victim.last_name)
    with page.expect_response(lambda r: r.url.endswith("/victims/duplicates/")):
        page.fill("#id_first_name", victim.first_name)
        page.locator("#id_first_name").blur()
    expect(page.locator("#duplicates .card")).to_be_visible()
    tour.look("person-new-possible-match")


# ---------------------------------------------------------------------------
# What axe cannot judge
# ---------------------------------------------------------------------------
def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(login, page, shot):
    login(page, "inspector")

    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    shot(page, "a11y-skip-link-focused")
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    inside_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert inside_main, "after the skip link, Tab must go on inside the main content, not back to the menu"


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_language_buttons_say_the_language_in_its_own_words(login, page, shot, language):
    login(page, "inspector")
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")

    switch = page.get_by_role("group", name=re.compile(r"\S"))
    expect(switch.locator("button")).to_have_count(3)
    for code, name in LANGUAGE_NAMES.items():
        button = page.get_by_role("button", name=re.compile(rf"\b{code.upper()}\b.*{name}"))
        expect(button).to_have_count(1)
        expect(button).to_have_attribute("lang", code)
        if code == language:
            expect(button).to_have_attribute("aria-current", "true")
        else:
            expect(button).not_to_have_attribute("aria-current", re.compile(".*"))
    shot(page, f"a11y-language-buttons-{language}")


def test_a_refused_login_marks_both_fields_and_names_the_error(demo_data, page, shot):
    page.goto(f"{demo_data.url}/login/")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", "not the password")
    with page.expect_navigation():
        page.locator("form[action$='/login/'] button[type=submit]").click()

    expect(page.locator("[role=alert]")).to_be_visible()
    for field_id in ("id_username", "id_password"):
        _expect_refused_field_is_described(page, field_id)
    expect(page.locator("#id_username")).to_have_value("inspector")
    shot(page, "a11y-login-refused-fields-described")


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (alpha ignored: the rings are opaque)."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(part) / 255 for part in re.findall(r"[\d.]+", colour)[:3])
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FOCUS_RING = """(element) => {
    const style = getComputedStyle(element);
    const rings = [];
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) rings.push(style.outlineColor);
    for (const shadow of style.boxShadow === 'none' ? [] : style.boxShadow.split(/,(?![^(]*\\))/)) {
        const spread = shadow.replace(/rgba?\\([^)]*\\)/, '').trim().split(/\\s+/).map(parseFloat)[3] || 0;
        const colour = shadow.match(/rgba?\\([^)]*\\)/);
        if (colour && spread >= 2) rings.push(colour[0]);
    }
    let node = element.parentElement, background = 'rgb(255, 255, 255)';
    while (node) {
        const colour = getComputedStyle(node).backgroundColor;
        if (colour && colour !== 'transparent' && !colour.startsWith('rgba(0, 0, 0, 0')) { background = colour; break; }
        node = node.parentElement;
    }
    return {rings, background};
}"""


@pytest.mark.parametrize(
    "where",
    ["#case-rows tbody a", ".mainnav a[href$='/cases/']", ".langswitch button[value=ru]", "a.button[href$='/new/']"],
)
def test_the_keyboard_focus_ring_stands_out_from_what_is_behind_it(login, page, shot, where):
    """WCAG 1.4.11: a focus indicator needs 3:1 against the colours next to it, on the white cards and the top bar."""
    login(page, "inspector")
    target = page.locator(where).first
    for _ in range(60):  # the keyboard brings the focus there, so :focus-visible applies
        if target.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(target).to_be_focused()

    ring = target.evaluate(FOCUS_RING)
    assert ring["rings"], f"{where} shows no focus ring"
    best = max(_contrast(colour, ring["background"]) for colour in ring["rings"])
    assert best >= 3, f"{where}: focus ring {ring['rings']} on {ring['background']} has contrast {best:.2f} < 3"
    shot(page, f"a11y-focus-ring-{re.sub(r'[^a-z]+', '-', where)}")
