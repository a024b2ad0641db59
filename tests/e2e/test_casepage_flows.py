"""The case page carries the officer to the next job, in a real browser, on a desktop and on a 390 px phone, in Kyrgyz
and Russian: new case → add the person → screen now → the case with the new due items marked → a refused note (error
summary in sight) → done with a note → undo offered; records corrected and removed with a reason; a case closed and
reopened; the duplicate box opening the same person.

Checks rest on ids, URLs, CSS classes and the database; the screenshots under test-results/e2e/ are for looking at.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, ExploitationSite, Victim
from screening.models import Obligation, Screening
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CASE_URL = re.compile(r"/cases/([0-9a-f-]{36})/$")
SAVED_URL = re.compile(r"/cases/([0-9a-f-]{36})/\?screened=([0-9a-f-]{36})$")


def _browser_page(new_context, device: str):
    if device == "phone":
        return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    return new_context(viewport=DESKTOP).new_page()


def _in_language(page, language: str) -> None:
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")
    expect(page.locator("html")).to_have_attribute("lang", language)


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _in_sight(page, selector: str) -> bool:
    """Whether the element starts within the first screen, without scrolling."""
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + 40 <= page.viewport_size["height"]


def _screen_only(page, name: str, axe) -> None:
    """A screenshot of what the screen shows without scrolling (the `shot` fixture takes the whole page); the page is
    checked with axe like every page the browser tests load."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    axe.check(page)


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _is_preview(response) -> bool:
    return response.url.endswith("/preview/") and response.request.headers.get("hx-request") == "true"


def _tick(page, selector: str) -> None:
    with page.expect_response(_is_preview):
        page.check(selector)


# ---------------------------------------------------------------------------
# 1. The inspector's path: each page leads to the next job
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("device", "language"), [("desktop", "ky"), ("phone", "ky"), ("desktop", "ru"), ("phone", "ru")]
)
def test_the_inspector_goes_from_a_new_case_to_a_due_item_done_with_a_note(
    login, new_context, shot, axe, device, language
):
    page = _browser_page(new_context, device)
    login(page, "inspector")
    _in_language(page, language)
    prefix = f"30-casepage-{device}-{language}"

    # a new case: the main button adds the person
    _go(page, "a.button[href$='/cases/new/']")
    shot(page, f"{prefix}-00-new-case-form")
    page.select_option("#id_source", "citizen")
    incident = timezone.localtime() - timedelta(days=2)
    page.fill("#id_incident_at", incident.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_incident_place", "Аламүдүн району, Ысык-Ата айылы")
    _go(page, "form.form button.primary[type=submit]")
    case = Case.objects.get(pk=CASE_URL.search(page.url).group(1))
    main = page.locator("#main-action")
    expect(main).to_have_attribute("href", f"/cases/{case.pk}/victims/new/")
    expect(page.locator("a.button.primary")).to_have_count(1)
    shot(page, f"{prefix}-01-new-case-add-the-person")
    assert _sideways_overflow(page) <= 0

    # the person: then the person's page offers to screen now
    _go(page, "#main-action")
    page.fill("#id_last_name", "Жакыпова")
    page.fill("#id_first_name", "Нуризат")
    page.select_option("#id_sex", "female")
    page.fill("#id_date_of_birth", (timezone.localdate() - timedelta(days=15 * 366)).isoformat())
    shot(page, f"{prefix}-02a-new-person-form")
    _go(page, "form.form button.primary[type=submit]")
    victim = Victim.objects.get(case=case)
    assert page.url.endswith(f"/cases/victims/{victim.pk}/")
    expect(page.locator("#main-action")).to_have_attribute(
        "href", f"/screening/cases/{case.pk}/new/?victim={victim.pk}"
    )
    shot(page, f"{prefix}-02-person-saved-screen-now")
    assert _sideways_overflow(page) <= 0

    # the screening: a child recruited for sexual exploitation (Art. 167)
    _go(page, "#main-action")
    expect(page.locator(f"input[name=victim][value='{victim.pk}']")).to_be_checked()  # "Screen now" chose her
    page.click(".stepper [data-step='4']")
    _tick(page, "#id_acts_recruitment")
    _tick(page, "#id_purposes_sexual_exploitation")
    # a child and a sexual purpose: the sexual-violence question comes into step 4 and must be answered
    expect(page.locator("#step-panel-4 #sexual-violence-question")).to_be_visible()
    _tick(page, "#step-panel-4 input[name=sexual_violence][value=yes]")
    shot(page, f"{prefix}-02b-wizard-step4-art167")
    page.click(".stepper [data-step='6']")
    _go(page, "#save-screening")
    match = SAVED_URL.search(page.url)
    assert match and match.group(1) == str(case.pk), page.url
    screening = Screening.objects.get(pk=match.group(2))
    created = set(screening.obligations.values_list("code", flat=True))
    assert {"notify_kib", "rapport_registration", "health_information_72h"} <= created
    expect(page.locator(".msg-success")).to_be_visible()
    expect(page.locator("#obligations li.obligation-new")).to_have_count(len(created))
    expect(page.locator("#obligations li.obligation-new .badge-new").first).to_be_visible()
    expect(page.locator(f"#screening .notice a[href$='/screening/{screening.pk}/']")).to_be_visible()
    expect(page.locator("#obligations .due-in").first).to_be_visible()
    # the rapport is listed once (as the due item); the adults' step is left out of a child's case, saying why
    expect(page.locator("#steps [data-step=write_rapport]")).to_have_count(0)
    expect(page.locator("#steps [data-step=advise_documents]")).to_have_count(0)
    expect(page.locator("#steps p.small-print")).to_be_visible()
    shot(page, f"{prefix}-03-screened-new-due-items")
    assert _sideways_overflow(page) <= 0

    # a notice marked done without a note: refused, the summary in sight at the top
    notice = Obligation.objects.get(case=case, code="notify_kib")
    note = f"#obligation-{notice.pk}-note"
    page.locator(note).scroll_into_view_if_needed()
    _go(page, f"form:has({note}) button[type=submit]")
    expect(page.locator("#error-summary")).to_be_visible()
    assert _in_sight(page, "#error-summary"), "the error summary is not in sight without scrolling"
    expect(page.locator(f"#error-summary a[href='{note}']")).to_be_visible()
    _screen_only(page, f"{prefix}-04-note-refused-summary-in-sight", axe)
    notice.refresh_from_db()
    assert notice.status == Obligation.Status.OPEN

    # the link leads to the field; with a note the item is done, and can be undone for a while
    page.click(f"#error-summary a[href='{note}']")
    page.fill(note, "КИБ: Осмонов М., кат № 12/345")
    _go(page, f"form:has({note}) button[type=submit]")
    notice.refresh_from_db()
    assert (notice.status, notice.note) == (Obligation.Status.DONE, "КИБ: Осмонов М., кат № 12/345")
    done = page.locator("#obligations li.obligation-done", has_text="КИБ: Осмонов М., кат № 12/345")
    expect(done).to_have_count(1)
    expect(done.locator(f"form[action$='/screening/obligations/{notice.pk}/undo/'] button")).to_be_visible()
    page.locator("#obligations").scroll_into_view_if_needed()
    shot(page, f"{prefix}-05-done-with-a-note-undo-offered")
    assert _sideways_overflow(page) <= 0


# ---------------------------------------------------------------------------
# 2. Records corrected and removed with a reason; the case closed and reopened
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(("device", "language"), [("phone", "ky"), ("desktop", "ru")])
def test_records_are_corrected_and_removed_and_the_case_closed_and_reopened(
    login, new_context, shot, axe, device, language
):
    page = _browser_page(new_context, device)
    login(page, "inspector")
    _in_language(page, language)
    prefix = f"31-corrections-{device}-{language}"
    case = Victim.objects.select_related("case").get(last_name="Сыдыкова", first_name="Айпери").case
    suspect, site = case.suspects.get(), case.sites.get()
    status_before_closing = case.status
    page.goto(page.url.split("/cases/")[0] + case.get_absolute_url())

    # a suspect corrected
    _go(page, f"a[href$='/cases/suspects/{suspect.pk}/edit/']")
    page.fill("#id_age", "36")
    shot(page, f"{prefix}-01-suspect-form")
    _go(page, "form.form button.primary[type=submit]")
    suspect.refresh_from_db()
    assert (suspect.age, suspect.version) == (36, 2)

    # a site removed: first without a reason (refused, summary in sight), then with one
    _go(page, f"a[href$='/cases/sites/{site.pk}/remove/']")
    _go(page, "form.form button.primary[type=submit]")
    expect(page.locator("#error-summary a[href='#id_reason']")).to_be_visible()
    assert _in_sight(page, "#error-summary")
    _screen_only(page, f"{prefix}-02-removal-without-reason-refused", axe)
    page.fill("#id_reason", "Эки жолу киргизилген: ошол эле батир.")
    _go(page, "form.form button.primary[type=submit]")
    assert not ExploitationSite.objects.filter(pk=site.pk).exists()
    expect(page.locator("ol.timeline")).to_contain_text("Эки жолу киргизилген: ошол эле батир.")
    shot(page, f"{prefix}-03-site-removed-history")

    # the case closed with a reason: nothing to change but reopening
    _go(page, f"a[href$='/cases/{case.pk}/close/']")
    page.fill("#id_reason", "Текшерүүнүн жыйынтыгы боюнча материалдар тергөөгө өткөрүлдү.")
    shot(page, f"{prefix}-04a-close-form")
    _go(page, "form.form button.primary[type=submit]")
    expect(page.locator("#closed")).to_be_visible()
    expect(page.locator(f"a[href$='/cases/{case.pk}/edit/']")).to_have_count(0)
    expect(page.locator("#obligations form.done-form")).to_have_count(0)
    shot(page, f"{prefix}-04-case-closed")
    assert _sideways_overflow(page) <= 0

    _go(page, f"#closed a[href$='/cases/{case.pk}/reopen/']")
    page.fill("#id_reason", "Жабырлануучу жаңы фактыларды айтып берди.")
    shot(page, f"{prefix}-05a-reopen-form")
    _go(page, "form.form button.primary[type=submit]")
    case.refresh_from_db()
    assert case.status == status_before_closing != Case.Status.CLOSED  # back where the work stood
    expect(page.locator("#closed")).to_have_count(0)
    expect(page.locator(f"a[href$='/cases/{case.pk}/edit/']")).to_have_count(1)
    shot(page, f"{prefix}-05-case-reopened")


# ---------------------------------------------------------------------------
# 3. The duplicate box on a phone: "this is the same person: open that record"
# ---------------------------------------------------------------------------
def test_the_duplicate_box_opens_the_same_persons_record_on_a_phone(login, new_context, shot):
    page = _browser_page(new_context, "phone")
    login(page, "inspector")
    existing = Victim.objects.get(last_name="Сыдыкова", first_name="Айпери")
    case = Victim.objects.get(last_name="Нурланова").case
    page.goto(page.url.split("/cases/")[0] + f"/cases/{case.pk}/victims/new/")

    page.fill("#id_last_name", "Сыдыкова")
    with page.expect_response(lambda r: r.url.endswith("/victims/duplicates/")):
        page.fill("#id_first_name", "Айпери")
        page.locator("#id_first_name").blur()
    same = page.locator(f"#duplicates a.same-person[href$='/cases/victims/{existing.pk}/']")
    expect(same).to_be_visible()
    shot(page, "32-duplicate-box-phone-ky")
    assert _sideways_overflow(page) <= 0

    _go(page, f"#duplicates a.same-person[href$='/cases/victims/{existing.pk}/']")
    assert page.url.endswith(f"/cases/victims/{existing.pk}/")
    assert not case.victims.filter(last_name="Сыдыкова").exists()
