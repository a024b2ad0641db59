"""The screening wizard in a real browser: a child's case in Kyrgyz and in Russian (Art. 167), an adult foreign
victim (means missing, then abuse of vulnerability with its evidence: Art. 166, obligations with project-policy
deadlines), the wizard with the keyboard only, and the wizard on a 390 px phone.

Checks rest on html[lang], URLs, ids, CSS classes, the database and the engine's own trilingual labels; the few
words checked (the article badge) come from the translation catalogues the issue names.
"""

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from cases.models import Case, Victim
from screening.labels import OBLIGATION_LABELS
from screening.models import Obligation, Screening
from screening.qualification import LABELS

pytestmark = pytest.mark.browser

ARTICLE_BADGE = {"ky": "{}-берене", "ru": "Ст. {}"}
SCREENING_URL = re.compile(r"/screening/([0-9a-f-]{36})/$")
# Saving a screening lands on the case page, naming the screening just saved.
SAVED_URL = re.compile(r"/cases/[0-9a-f-]{36}/\?screened=([0-9a-f-]{36})$")
DUE = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}")
PHONE = {"width": 390, "height": 844}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _child_case() -> Case:
    return Victim.objects.select_related("case").get(last_name="Сыдыкова", first_name="Айпери").case


def _adult_foreign_case() -> Case:
    """The inspector's registered case: Aliya Nurlanova, born 1999, citizen of Kazakhstan."""
    return Victim.objects.select_related("case").get(last_name="Нурланова", first_name="Алия").case


def _unscreen(case: Case) -> None:
    """Remove the screenings (and the obligations they created) that seed_demo gives the case: not screened yet."""
    Obligation.objects.filter(case=case).delete()
    Screening.objects.filter(case=case).delete()


def _is_preview(response) -> bool:
    return response.url.endswith("/preview/") and response.request.headers.get("hx-request") == "true"


def _tick(page, selector: str) -> None:
    """Tick a checkbox and wait for the htmx preview it triggers."""
    with page.expect_response(_is_preview) as answered:
        page.check(selector)
    assert answered.value.status == 200


def _press(page, key: str) -> None:
    """Press a key that changes a checkbox, and wait for the htmx preview."""
    with page.expect_response(_is_preview) as answered:
        page.keyboard.press(key)
    assert answered.value.status == 200


def _expect_step(page, step: int) -> None:
    expect(page.locator(f"section.step[data-step='{step}']")).to_be_visible()
    expect(page.locator("section.step:not([hidden])")).to_have_count(1)
    expect(page.locator(f".stepper [data-step='{step}']")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".stepper [aria-selected=true]")).to_have_count(1)


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (the keyboard reaches it)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _open_case(page, case: Case) -> None:
    """From the case list, open the case by its number."""
    with page.expect_navigation():
        page.get_by_role("link", name=case.number, exact=True).click()
    assert page.url.endswith(f"/cases/{case.pk}/"), page.url


def _open_wizard(page, case: Case) -> None:
    """From the case page, click the button that screens the case."""
    button = page.locator(f"#screening a.button[href$='/screening/cases/{case.pk}/new/']")
    expect(button).to_be_visible()
    with page.expect_navigation():
        button.click()
    assert page.url.endswith(f"/screening/cases/{case.pk}/new/"), page.url
    expect(page.locator("#screening-form.js-steps")).to_be_visible()
    _expect_step(page, 1)


def _save(page) -> Screening:
    """Go to the last step with its tab, save, land on the case page, and open the screening from its notice."""
    page.click(".stepper [data-step='6']")
    _expect_step(page, 6)
    with page.expect_navigation():
        page.click("#save-screening")
    match = SAVED_URL.search(page.url)
    assert match, f"no case page after saving: {page.url}"
    expect(page.locator(".msg-success")).to_be_visible()
    with page.expect_navigation():
        page.click(f"#screening .notice a[href$='/screening/{match.group(1)}/']")
    assert SCREENING_URL.search(page.url), page.url
    return Screening.objects.get(pk=match.group(1))


def _screening_cell(page, case: Case):
    row = page.locator("#case-rows tbody tr", has=page.get_by_role("link", name=case.number, exact=True))
    expect(row).to_have_count(1)
    return row.locator("td").last


# ---------------------------------------------------------------------------
# 1, 2. A child's case: Art. 167 live, means replaced by the child note, saved, badges on the case list
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_inspector_screens_child_case(login, page, shot, language):
    login(page, "inspector")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")
        expect(page.locator("html")).to_have_attribute("lang", language)
    case = _child_case()
    prefix = f"20-child-{language}"
    # In Kyrgyz the case is screened for the first time; in Russian on top of the screening seed_demo recorded.
    first_time = language == "ky"
    if first_time:
        _unscreen(case)
    earlier = list(Screening.objects.filter(case=case))
    seeded_obligations = set(Obligation.objects.filter(case=case).values_list("code", flat=True))

    _open_case(page, case)
    expect(page.locator("#screening .badge-article")).to_have_count(0 if first_time else 1)
    _open_wizard(page, case)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("[data-nav=prev]")).to_be_hidden()  # nothing before step 1
    expect(page.locator("#result-panel .verdict")).to_have_count(0)  # nothing ticked yet
    shot(page, f"{prefix}-01-wizard-step1")

    page.evaluate("window.__marker = 1")
    page.click("[data-nav=next]")
    _expect_step(page, 2)
    expect(page.locator("#indicators-block input[name=child_indicators]").first).to_be_visible()
    expect(page.locator("#indicators-block input[name=adult_indicators]")).to_have_count(0)
    page.click("[data-nav=next]")
    _expect_step(page, 3)
    page.click(".stepper [data-step='4']")
    _expect_step(page, 4)
    expect(page.locator("[data-nav=prev]")).to_be_visible()
    # The engine's labels follow the page's language (they were once frozen in the language active at import).
    expect(page.locator("label[for=id_acts_recruitment]")).to_have_text(LABELS["recruitment"][language])
    expect(page.locator("label[for=id_purposes_sexual_exploitation]")).to_have_text(
        LABELS["sexual_exploitation"][language]
    )

    # A child: the means are not asked, a note says why.
    expect(page.locator("#means-child-note")).to_be_visible()
    expect(page.locator("input[name=means]")).to_have_count(0)
    expect(page.locator("#vulnerability-evidence")).to_have_count(0)

    _tick(page, "#id_acts_recruitment")
    verdict = page.locator("#result-panel .verdict")
    expect(verdict).to_have_class(re.compile(r"verdict-elements_not_established"))  # no purpose yet
    _tick(page, "#id_purposes_sexual_exploitation")

    article = ARTICLE_BADGE[language].format(167)
    expect(verdict).to_have_class(re.compile(r"verdict-art_167"))
    expect(verdict.locator("strong")).to_have_text(article)
    expect(verdict.locator(".badge-child")).to_be_visible()
    expect(page.locator("#result-panel .error")).to_have_count(0)  # nothing missing
    explanation = page.locator("#result-panel pre.explanation")
    for code in ("art_167", "recruitment", "sexual_exploitation"):
        expect(explanation).to_contain_text(LABELS[code][language])
    assert page.evaluate("window.__marker") == 1, "the result came with a page reload instead of an htmx swap"
    expect(page.locator("#means-child-note")).to_be_visible()
    expect(page.locator("#id_acts_recruitment")).to_be_checked()
    shot(page, f"{prefix}-02-wizard-step4-art167")

    screening = _save(page)
    assert (screening.case_id, screening.created_by.username) == (case.pk, "inspector")
    assert (screening.verdict, screening.articles, screening.child) == ("art_167", ["167"], True)
    assert screening.facts["acts"] == ["recruitment"] and screening.facts["purposes"] == ["sexual_exploitation"]
    assert "means" not in screening.facts
    assert screening.victim == case.victims.get()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1 .badge-article")).to_have_text(article)
    expect(page.locator("h1 .badge-child")).to_be_visible()
    expect(page.locator("pre.explanation")).to_contain_text(LABELS["art_167"][language])
    shot(page, f"{prefix}-03-screening-saved")

    with page.expect_navigation():
        page.click(f".crumbs a[href$='/cases/{case.pk}/']")
    expect(page.locator("#screening h2 .badge-article")).to_have_text(article)
    expect(page.locator(f"#screening > p a[href$='/screening/{screening.pk}/']")).to_be_visible()  # the latest
    for old in earlier:
        expect(page.locator(f"#screening details a[href$='/screening/{old.pk}/']")).to_have_count(1)
    # A child and Art. 167: referral, the three notifications and the rapport; none added twice.
    expected_codes = {"refer_child_social_services", "notify_kib", "notify_duty_officer", "inform_ngo",
                      "rapport_registration"} | seeded_obligations  # fmt: skip
    assert set(Obligation.objects.filter(case=case).values_list("code", flat=True)) == expected_codes
    assert Obligation.objects.filter(case=case).count() == len(expected_codes)
    if first_time:
        assert set(screening.obligations.values_list("code", flat=True)) == expected_codes
    obligations = page.locator("#obligations li.obligation-open")
    expect(obligations).to_have_count(len(expected_codes))
    for item in obligations.all():
        expect(item.locator("strong")).to_contain_text(DUE)
    # project-policy deadlines: the referral, the three notices due at its time, and the rapport
    expect(obligations.filter(has=page.locator(".badge-policy"))).to_have_count(5)
    shot(page, f"{prefix}-04-case-page-obligations")

    with page.expect_navigation():
        page.click(".mainnav a[href$='/cases/']")
    cell = _screening_cell(page, case)
    expect(cell.locator(".badge-article")).to_have_text(article)
    expect(cell.locator(".badge-article")).to_have_class(re.compile(r"badge-art-art_167"))
    expect(cell.locator(".badge-child")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)
    shot(page, f"{prefix}-05-case-list-badges")


# ---------------------------------------------------------------------------
# 3. An adult foreign victim: means missing, then abuse of vulnerability and its evidence, saved, obligations
# ---------------------------------------------------------------------------
def test_inspector_screens_adult_foreign_victim(login, page, shot):
    login(page, "inspector")
    case = _adult_foreign_case()
    _unscreen(case)
    victim = case.victims.get()
    assert victim.is_foreign and not victim.is_child
    prefix = "21-adult-ky"

    _open_case(page, case)
    _open_wizard(page, case)
    page.evaluate("window.__marker = 1")
    page.click(".stepper [data-step='2']")
    _expect_step(page, 2)
    expect(page.locator("#indicators-block input[name=adult_indicators]").first).to_be_visible()
    page.click(".stepper [data-step='4']")
    _expect_step(page, 4)
    expect(page.locator("#means-child-note")).to_have_count(0)
    expect(page.locator("#id_means_abuse_of_vulnerability")).to_be_visible()
    expect(page.locator("#vulnerability-evidence")).to_have_count(0)

    _tick(page, "#id_acts_recruitment")
    _tick(page, "#id_purposes_forced_labour")
    verdict = page.locator("#result-panel .verdict")
    expect(verdict).to_have_class(re.compile(r"verdict-elements_not_established"))
    expect(verdict).to_contain_text(LABELS["elements_not_established"]["ky"])
    expect(verdict.locator("strong")).to_have_count(0)  # no article
    missing = page.locator("#result-panel p.error")
    expect(missing).to_have_text(re.compile(rf":\s*{re.escape(LABELS['means']['ky'])}$"))
    shot(page, f"{prefix}-01-means-missing")

    # Keyboard: Space on the means checkbox; the evidence questions appear and the focus stays on the checkbox.
    page.focus("#id_means_abuse_of_vulnerability")
    _press(page, "Space")
    expect(page.locator("#id_means_abuse_of_vulnerability")).to_be_checked()
    evidence = page.locator("#vulnerability-evidence")
    expect(evidence).to_be_visible()
    assert _focused_id(page) == "id_means_abuse_of_vulnerability", "the swap took the focus away"
    expect(verdict).to_have_class(re.compile(r"verdict-elements_not_established"))  # unproven abuse does not count
    expect(missing).to_contain_text(LABELS["means"]["ky"])
    expect(page.locator("#result-panel pre.explanation")).to_contain_text(LABELS["abuse_of_vulnerability"]["ky"])
    shot(page, f"{prefix}-02-evidence-questions")

    _tab_to(page, "#id_vulnerability_evidenced", limit=10)
    _press(page, "Space")
    expect(page.locator("#id_vulnerability_evidenced")).to_be_checked()
    expect(verdict).to_have_class(re.compile(r"verdict-elements_not_established"))  # one of two is not enough
    page.keyboard.press("Tab")
    assert _focused_id(page) == "id_vulnerability_abuse_evidenced"
    _press(page, "Space")
    expect(page.locator("#id_vulnerability_abuse_evidenced")).to_be_checked()

    expect(verdict).to_have_class(re.compile(r"verdict-art_166"))
    expect(verdict.locator("strong")).to_have_text("166-берене")
    expect(verdict.locator(".badge-child")).to_have_count(0)
    expect(page.locator("#result-panel p.error")).to_have_count(0)
    expect(page.locator("#result-panel pre.explanation")).to_contain_text(LABELS["art_166"]["ky"])
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    shot(page, f"{prefix}-03-art166")

    screening = _save(page)
    assert (screening.verdict, screening.articles, screening.child) == ("art_166", ["166"], False)
    assert screening.facts["means"] == ["abuse_of_vulnerability"]
    assert screening.facts["vulnerability_evidenced"] and screening.facts["vulnerability_abuse_evidenced"]
    expect(page.locator("h1 .badge-article")).to_have_text("166-берене")
    expect(page.locator("h1 .badge-child")).to_have_count(0)
    shot(page, f"{prefix}-04-screening-saved")

    with page.expect_navigation():
        page.click(f".crumbs a[href$='/cases/{case.pk}/']")
    obligations = {o.code: o for o in Obligation.objects.filter(case=case)}
    assert set(obligations) == {"intl_cooperation_decision", "rapport_registration"}
    assert {o.screening_id for o in obligations.values()} == {screening.pk}
    assert all(o.basis == "project_policy" for o in obligations.values())
    items = page.locator("#obligations li.obligation-open")
    expect(items).to_have_count(2)
    with translation.override("ky"):
        intl_label = str(OBLIGATION_LABELS["intl_cooperation_decision"])
    intl = items.filter(has_text=intl_label)
    expect(intl).to_have_count(1)
    due = timezone.localtime(obligations["intl_cooperation_decision"].due_at).strftime("%d.%m.%Y %H:%M")
    expect(intl.locator("strong")).to_contain_text(due)
    expect(intl.locator(".badge-policy")).to_be_visible()
    for item in items.all():
        expect(item.locator("strong")).to_contain_text(DUE)
        expect(item.locator("button[type=submit]")).to_be_visible()  # "mark as done"
    shot(page, f"{prefix}-05-case-page-obligations")

    with page.expect_navigation():
        page.click(".mainnav a[href$='/cases/']")
    cell = _screening_cell(page, case)
    expect(cell.locator(".badge-article")).to_have_text("166-берене")
    expect(cell.locator(".badge-child")).to_have_count(0)


# ---------------------------------------------------------------------------
# 4. The keyboard only: step tabs with Enter, Enter in an input moves on, Tab reaches Next and Save
# ---------------------------------------------------------------------------
def test_wizard_with_keyboard_only(login, page, shot):
    login(page, "inspector")
    case = _child_case()
    _open_case(page, case)
    _open_wizard(page, case)
    wizard_url = page.url
    screenings_before = Screening.objects.count()
    page.evaluate("window.__marker = 1")

    # A step tab, Enter: the step opens and its title takes the focus.
    page.focus(".stepper [data-step='2']")
    page.keyboard.press("Enter")
    _expect_step(page, 2)
    assert _focused_id(page) == "step-title-2"
    page.keyboard.press("Tab")  # into the step: the first indicator
    assert page.evaluate("document.activeElement.name") == "child_indicators"
    _press(page, "Space")
    expect(page.locator("input[name=child_indicators]").first).to_be_checked()
    _tab_to(page, "[data-nav=next]")
    page.keyboard.press("Enter")
    _expect_step(page, 3)
    assert _focused_id(page) == "step-title-3"
    shot(page, "22-keyboard-ky-01-step3-after-enter-on-next")

    # Enter in a number input moves to the next step; it does not submit the form.
    page.focus(".stepper [data-step='1']")
    page.keyboard.press("Enter")
    _expect_step(page, 1)
    page.focus("#id_victim_age")
    page.keyboard.press("Enter")
    _expect_step(page, 2)
    page.focus(".stepper [data-step='5']")
    page.keyboard.press("Enter")
    _expect_step(page, 5)
    _tab_to(page, "#id_suspect_age")
    with page.expect_response(_is_preview):
        page.keyboard.type("35")
    page.keyboard.press("Enter")
    _expect_step(page, 6)
    assert page.url == wizard_url and page.evaluate("window.__marker") == 1, "Enter submitted the wizard"
    assert Screening.objects.count() == screenings_before

    # Enter in the notes is a new line; Tab reaches Save, Enter saves.
    page.keyboard.press("Tab")
    assert _focused_id(page) == "id_notes"
    page.keyboard.type("Биринчи сап")
    page.keyboard.press("Enter")
    page.keyboard.type("Экинчи сап")
    _expect_step(page, 6)
    shot(page, "22-keyboard-ky-02-step6-notes")
    _tab_to(page, "#save-screening", limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    match = SAVED_URL.search(page.url)
    assert match, f"Enter on Save did not save: {page.url}"
    screening = Screening.objects.get(pk=match.group(1))
    assert screening.notes.replace("\r\n", "\n") == "Биринчи сап\nЭкинчи сап"
    assert screening.facts["suspect_age"] == 35
    assert len(screening.indicators) == 1
    assert screening.verdict == "elements_not_established" and screening.child  # no act, no purpose ticked


# ---------------------------------------------------------------------------
# 5. The wizard on a 390 px phone
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_wizard_on_a_phone(login, new_context, shot, language):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, "inspector")
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")
    case = _adult_foreign_case()
    _open_case(page, case)
    _open_wizard(page, case)
    expect(page.locator("html")).to_have_attribute("lang", language)
    prefix = f"23-phone-390-{language}"
    shot(page, f"{prefix}-01-wizard-step1")
    assert _sideways_overflow(page) <= 0, "the wizard scrolls sideways on a 390 px phone (step 1)"

    page.tap(".stepper [data-step='4']")
    _expect_step(page, 4)
    _tick(page, "#id_acts_recruitment")
    _tick(page, "#id_means_abuse_of_vulnerability")
    expect(page.locator("#vulnerability-evidence")).to_be_visible()
    _tick(page, "#id_purposes_sexual_exploitation")
    expect(page.locator("#result-panel .verdict")).to_have_class(re.compile(r"verdict-elements_not_established"))
    expect(page.locator("#result-panel")).to_be_visible()
    shot(page, f"{prefix}-02-wizard-step4")
    assert _sideways_overflow(page) <= 0, "the wizard scrolls sideways on a 390 px phone (step 4)"
