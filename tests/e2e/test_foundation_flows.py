"""The foundation pages in a real browser: sign-in per role, language switch, new case with the duplicate check,
lost-update protection, and the htmx case filter on a desktop and a phone.

Translations are still being written, so the checks rest on html[lang], URLs, data and CSS classes, not on words.
"""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseUserObjectPermission, Victim

pytestmark = pytest.mark.browser

CASE_NUMBERS = "#case-rows tbody tr td:first-child a"
UNIT_CASE_ROLES = {"duty_officer", "supervisor", "investigator", "kib_officer"}


def _seeded_cases() -> list[Case]:
    return list(Case.objects.select_related("unit", "created_by", "assigned_officer"))


def _mine(case: Case, username: str) -> bool:
    return username in {case.created_by.username, getattr(case.assigned_officer, "username", None)}


def _expected_numbers(username: str) -> set[str]:
    """What each demo user must see, written from the seed data and ARCHITECTURE §3 (not from the selectors)."""
    cases = _seeded_cases()
    if username in {"inspector", "hotline"}:
        return {c.number for c in cases if c.unit.code == "alamudun" and _mine(c, username)}
    if username in UNIT_CASE_ROLES:
        return {c.number for c in cases if c.unit.code == "alamudun"}
    if username == "oblast_head":
        return {c.number for c in cases if c.unit.code in {"alamudun", "sokuluk"}}
    if username == "intl_cooperation":
        # At the ministry, international cooperation officers see only the cases granted to them: in the demo, the
        # foreign victims' cases whose heads decided to inform them.
        granted = CaseUserObjectPermission.objects.filter(user__username=username).values_list("content_object_id")
        return {c.number for c in cases if (c.pk,) in set(granted)}
    # Analysts and NGO staff never see cases in these pages.
    return set()


def _shown_numbers(page) -> set[str]:
    return {text.strip() for text in page.locator(CASE_NUMBERS).all_inner_texts()}


def _child_case() -> Case:
    return Victim.objects.select_related("case").get(last_name="Сыдыкова", first_name="Айпери").case


# ---------------------------------------------------------------------------
# 1. Every demo role: sign in, the case list in Kyrgyz, the cases the role may see and no others
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "username",
    [
        "inspector",
        "duty_officer",
        "supervisor",
        "oblast_head",
        "analyst",
        "hotline",
        "intl_cooperation",
        "kib_officer",
        "investigator",
        "ngo",
    ],
)
def test_role_sees_its_cases_in_kyrgyz(login, page, shot, username):
    login(page, username)

    assert re.search(r"/cases/$", page.url), page.url
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    expect(page.locator(".langswitch button.current")).to_have_attribute("value", "ky")
    expect(page.locator("#case-rows")).to_be_visible()

    expected = _expected_numbers(username)
    assert _shown_numbers(page) == expected
    cases = {c.number: c for c in _seeded_cases()}
    sokuluk = {n for n, c in cases.items() if c.unit.code == "sokuluk"}

    if username == "inspector":
        assert _child_case().number in expected
        duty_case = next(c for c in cases.values() if c.created_by.username == "duty_officer")
        assert duty_case.number not in expected, "an inspector sees only the cases they opened or are assigned to"
        hotline_case = next(
            c for c in cases.values()
            if c.created_by.username == "hotline" and c.assigned_officer and c.assigned_officer.username == "inspector"
        )  # fmt: skip
        assert hotline_case.number in expected, "the case assigned by the hotline is on the inspector's list"
        expect(page.locator("#case-rows .badge-child").first).to_be_visible()
    if username == "oblast_head":
        assert sokuluk and sokuluk <= expected, "the oblast head sees the Sokuluk district's cases"
        assert any(cases[n].unit.code == "alamudun" for n in expected), "... and the Alamudun district's"
    else:
        assert not sokuluk & _shown_numbers(page), "a Sokuluk case leaked to a user outside Sokuluk"
    if username in UNIT_CASE_ROLES or username == "inspector":
        expect(page.locator("#case-rows .status").first).to_be_visible()
    if not expected and username in {"analyst", "ngo"}:
        # No case work in these roles: a note says so instead of an empty list with filters.
        expect(page.locator("#case-rows tbody tr")).to_have_count(0)
        expect(page.locator(".notice-card")).to_be_visible()
        expect(page.locator("form.filters")).to_have_count(0)
    elif not expected and username == "intl_cooperation":
        # Before any case reaches International Cooperation, the page says when cases do.
        expect(page.locator("#case-rows tbody tr")).to_have_count(0)
        expect(page.locator("#case-rows .empty-state")).to_be_visible()
    elif not expected:
        expect(page.locator("#case-rows tbody tr")).to_have_count(0)
        expect(page.locator("#case-rows .empty")).to_be_visible()

    may_create = username not in {"analyst", "ngo", "intl_cooperation"}
    expect(page.locator("a.button[href$='/cases/new/']")).to_have_count(1 if may_create else 0)
    shot(page, f"01-case-list-ky-{username}")


# ---------------------------------------------------------------------------
# 2. Inspector switches to Russian, opens a child's case and the child's page, then back to Kyrgyz
# ---------------------------------------------------------------------------
def test_inspector_switches_language_and_opens_child_victim(login, page, shot):
    login(page, "inspector")
    expect(page.locator("html")).to_have_attribute("lang", "ky")

    with page.expect_navigation():
        page.click(".langswitch button[value=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert re.search(r"/cases/$", page.url), "the language switch returns to the same page"
    expect(page.locator(".langswitch button.current")).to_have_attribute("value", "ru")
    shot(page, "02-case-list-ru-inspector")

    case = _child_case()
    row = page.locator("#case-rows tbody tr", has=page.get_by_role("link", name=case.number, exact=True))
    expect(row.locator(".badge-child")).to_be_visible()
    with page.expect_navigation():
        row.get_by_role("link", name=case.number, exact=True).click()
    assert page.url.endswith(f"/cases/{case.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator(".pagehead .status")).to_have_class(re.compile(rf"status-{case.status}"))
    expect(page.locator(".badge-child").first).to_be_visible()
    shot(page, "02-case-detail-ru-child")

    victim = case.victims.get()
    with page.expect_navigation():
        page.click(f"a[href$='/cases/victims/{victim.pk}/']")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("p.notice")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Сыдыкова Айпери")
    expect(page.locator("h1 .badge-child")).to_be_visible()
    shot(page, "02-victim-ru-child")

    with page.expect_navigation():
        page.click(".langswitch button[value=ky]")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    assert page.url.endswith(f"/cases/victims/{victim.pk}/")
    expect(page.locator("p.notice")).to_be_visible()
    shot(page, "02-victim-ky-child")


# ---------------------------------------------------------------------------
# 3. New case, a person whose name matches a demo victim: live warning, confirmation, history
# ---------------------------------------------------------------------------
def test_inspector_creates_case_and_confirms_possible_duplicate(login, page, shot):
    login(page, "inspector")
    existing = Victim.objects.get(last_name="Сыдыкова", first_name="Айпери")

    with page.expect_navigation():
        page.click("a.button[href$='/cases/new/']")
    page.select_option("#id_source", "citizen")
    page.fill("#id_incident_place", "Аламүдүн району, Ысык-Ата айылы")
    page.fill("#id_summary", "Кошуна кызды Москвага иштетүүгө алып кеткен.")
    page.check("#id_country_origin")
    shot(page, "03-new-case-form")
    with page.expect_navigation():
        page.click("form.form button.primary[type=submit]")
    match = re.search(r"/cases/([0-9a-f-]{36})/$", page.url)
    assert match, f"no case page after saving the form: {page.url}"
    case = Case.objects.get(pk=match.group(1))
    assert case.created_by.username == "inspector"
    assert case.incident_place == "Аламүдүн району, Ысык-Ата айылы"
    expect(page.locator(".msg-success")).to_be_visible()

    with page.expect_navigation():
        page.click(f"a.button[href$='/cases/{case.pk}/victims/new/']")
    expect(page.locator("#duplicates .card")).to_have_count(0)
    page.fill("#id_last_name", "Сыдыкова")
    with page.expect_response(lambda r: r.url.endswith("/victims/duplicates/")) as checked:
        page.fill("#id_first_name", "Айпери")
        page.locator("#id_first_name").blur()  # `change` fires: htmx asks for possible matches
    assert checked.value.status == 200
    warning = page.locator("#duplicates .card.warn")
    expect(warning).to_be_visible()
    expect(warning.locator(f"a.same-person[href$='/cases/victims/{existing.pk}/']")).to_be_visible()
    expect(warning).to_contain_text(existing.case.number)
    page.select_option("#id_sex", "female")
    shot(page, "03-victim-form-live-duplicate-warning")

    with page.expect_navigation():
        page.click("form.form button.primary[type=submit]")
    assert page.url.endswith(f"/cases/{case.pk}/victims/new/"), "the form must not save before confirmation"
    assert not case.victims.exists()
    expect(page.locator("#duplicates .card.warn")).to_be_visible()
    expect(page.locator("#id_confirm_not_duplicate")).not_to_be_checked()
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.locator("#id_last_name")).to_have_value("Сыдыкова")
    shot(page, "03-victim-form-asks-confirmation")

    page.check("#id_confirm_not_duplicate")
    with page.expect_navigation():
        page.click("form.form button.primary[type=submit]")
    victim = case.victims.get()
    assert (victim.last_name, victim.first_name, victim.sex) == ("Сыдыкова", "Айпери", "female")
    assert victim.pk != existing.pk
    assert page.url.endswith(f"/cases/victims/{victim.pk}/")
    expect(page.locator("p.notice")).to_be_visible()
    shot(page, "03-victim-saved")

    with page.expect_navigation():
        page.click(f".crumbs a[href$='/cases/{case.pk}/']")
    timeline = page.locator("ol.timeline li")
    expect(timeline.first).to_contain_text("Токтосунова")
    entries = timeline.locator("time").count()
    assert entries >= 2, "the timeline shows at least the case and the person being created"
    assert case.history.count() == 1 and victim.history.count() == 1
    assert timeline.filter(has_text="Токтосунова").count() == entries, "every entry names the inspector"
    expect(page.locator(f"a[href$='/cases/victims/{victim.pk}/']")).to_have_count(1)
    shot(page, "03-case-detail-history")


# ---------------------------------------------------------------------------
# 4. Lost update: inspector and supervisor edit the same case; the later save is refused and explained
# ---------------------------------------------------------------------------
def test_second_save_of_stale_form_is_refused(login, new_context, shot):
    case = _child_case()
    original_summary = case.summary
    edit_url = f"/cases/{case.pk}/edit/"

    inspector = login(new_context().new_page(), "inspector")
    supervisor = login(new_context().new_page(), "supervisor")
    inspector.goto(inspector.url.split("/cases/")[0] + edit_url)
    supervisor.goto(supervisor.url.split("/cases/")[0] + edit_url)
    expect(inspector.locator("input[name=version]")).to_have_value(str(case.version))
    expect(supervisor.locator("input[name=version]")).to_have_value(str(case.version))

    inspector.fill("#id_incident_place", "Бишкек ш., Жибек Жолу көч.")
    with inspector.expect_navigation():
        inspector.click("form.form button.primary[type=submit]")
    assert inspector.url.endswith(f"/cases/{case.pk}/")

    supervisor.fill("#id_summary", "Башчынын кошумчасы.")
    with supervisor.expect_navigation() as saved:
        supervisor.click("form.form button.primary[type=submit]")
    assert saved.value.status == 409
    stale = supervisor.locator("section.card.warn[role=alert]")
    expect(stale).to_be_visible()
    changed_rows = stale.locator("tbody tr")
    expect(changed_rows).to_have_count(1)
    expect(changed_rows.first.locator("td").nth(1)).to_have_text(case.incident_place)
    expect(changed_rows.first.locator("td").nth(2)).to_have_text("Бишкек ш., Жибек Жолу көч.")
    expect(changed_rows.first.locator("td").nth(3)).to_have_text("Айгүл Токтосунова")
    expect(stale.locator(f"a.button[href$='{edit_url}']")).to_be_visible()
    shot(supervisor, "04-stale-edit-refused-supervisor")

    case.refresh_from_db()
    assert case.incident_place == "Бишкек ш., Жибек Жолу көч."
    assert case.summary == original_summary
    assert case.history.first().history_user.username == "inspector"


# ---------------------------------------------------------------------------
# 5. Case list filter with htmx (no reload), and the list on a phone
# ---------------------------------------------------------------------------
def test_case_search_updates_rows_without_reload(login, page, shot):
    login(page, "inspector")
    wanted = Case.objects.get(kbr_number="01-2026-004512")
    expect(page.locator(CASE_NUMBERS)).to_have_count(len(_expected_numbers("inspector")))
    page.evaluate("window.__e2eMarker = 'still-here'")

    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request") == "true"):
        page.fill("input[type=search][name=q]", wanted.number)
    expect(page.locator(CASE_NUMBERS)).to_have_count(1)
    expect(page.locator(CASE_NUMBERS)).to_have_text(wanted.number)
    assert page.evaluate("window.__e2eMarker") == "still-here", "the page was reloaded instead of swapped"
    assert f"q={wanted.number}" in page.url, "the filtered list is bookmarkable (hx-push-url)"
    shot(page, "05-case-search-htmx")

    page.fill("input[type=search][name=q]", "NO-SUCH-CASE-0000")
    expect(page.locator("#case-rows .empty")).to_be_visible()
    expect(page.locator("#case-rows tbody tr")).to_have_count(0)
    page.select_option("#id_status", "registered")
    page.fill("input[type=search][name=q]", "")
    expect(page.locator(CASE_NUMBERS)).to_have_text([wanted.number])
    assert page.evaluate("window.__e2eMarker") == "still-here"


def test_case_list_on_a_phone(login, new_context, shot):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    login(page, "inspector")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    rows = page.locator("#case-rows tbody tr")
    expect(rows).to_have_count(len(_expected_numbers("inspector")))
    expect(rows.first).to_be_visible()
    expect(page.locator("#case-rows thead")).to_be_hidden()  # rows become labelled cards on a narrow screen
    expect(page.locator("input[type=search][name=q]")).to_be_visible()
    shot(page, "05-case-list-phone-390")
    assert _sideways_overflow(page) <= 0, "the case list scrolls sideways on a 390 px phone"

    case = _child_case()
    with page.expect_navigation():
        page.get_by_role("link", name=case.number, exact=True).click()
    expect(page.locator(".badge-child").first).to_be_visible()
    shot(page, "05-case-detail-phone-390")
    assert _sideways_overflow(page) <= 0, "the case page scrolls sideways on a 390 px phone"


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
