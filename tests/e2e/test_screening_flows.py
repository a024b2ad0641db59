"""The screening wizard in a real browser: a child's case screened for the first time in Kyrgyz (Art. 167, the
sexual-violence question in place) and screened again in Russian (starting from the last screening, changes marked),
an adult foreign victim (means missing, then abuse of vulnerability with its evidence: Art. 166, obligations with
project-policy deadlines), the wizard with the keyboard only (step tabs with the arrow keys), and on a 390 px phone.

Checks rest on html[lang], URLs, ids, CSS classes, the database and the engine's own trilingual labels; the few
words checked (the article badge) come from the translation catalogues the issue names.
"""

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.models import User
from cases.models import Case, Victim
from screening.labels import OBLIGATION_LABELS
from screening.models import Obligation, Screening
from screening.qualification import LABELS
from screening.services import screening_record

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


def _choose_person(page, victim: Victim) -> None:
    """Step 1: choose the person the screening is about (the live preview brings in their date of birth)."""
    radio = page.locator(f"input[name=victim][value='{victim.pk}']")
    if radio.is_checked():
        return
    with page.expect_response(_is_preview):
        radio.check()
    if victim.date_of_birth:
        expect(page.locator("#id_victim_date_of_birth")).to_have_value(victim.date_of_birth.isoformat())


def _expect_act_date_seen(page) -> None:
    """Step 1: the act date is one the officer sees: prefilled from the incident with a note, or to be entered."""
    act_date = page.locator("#id_act_date")
    if act_date.input_value():
        expect(page.locator("#id_act_date ~ .helptext")).to_be_visible()
    else:  # no incident date on the case: the stated fallback, the day the report came in
        _tick(page, "#id_act_date_unknown")


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
# 1. A child's case screened for the first time: the person chosen, Art. 167 live, the sexual-violence question in
#    place, saved, the person named on the screening page, badges on the case list
# ---------------------------------------------------------------------------
def test_inspector_screens_child_case_for_the_first_time(login, page, shot):
    login(page, "inspector")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    case = _child_case()
    child = case.victims.get()
    _unscreen(case)
    prefix = "20-child-ky"

    _open_case(page, case)
    expect(page.locator("#screening .badge-article")).to_have_count(0)
    _open_wizard(page, case)
    expect(page.locator("[data-nav=prev]")).to_be_hidden()  # nothing before step 1
    expect(page.locator("#result-panel .verdict")).to_have_count(0)  # nothing ticked yet
    expect(page.locator("input[name=victim]:checked")).to_have_count(0)  # the officer chooses the person
    expect(page.locator(".starts-from")).to_have_count(0)  # a first screening starts from nothing
    _expect_act_date_seen(page)
    page.evaluate("window.__marker = 1")
    _choose_person(page, child)
    shot(page, f"{prefix}-01-wizard-step1-person-chosen")

    page.click("[data-nav=next]")
    _expect_step(page, 2)
    expect(page.locator("#indicators-block input[name=child_indicators]").first).to_be_visible()
    expect(page.locator("#indicators-block input[name=adult_indicators]")).to_have_count(0)
    page.click("[data-nav=next]")
    _expect_step(page, 3)
    expect(page.locator("#step-panel-3 fieldset.checks")).to_have_count(4)  # two vulnerability groups, kinds, factors
    expect(page.locator("#id_vulnerability_age_help")).to_be_visible()
    shot(page, f"{prefix}-02-wizard-step3-vulnerability")
    page.click(".stepper [data-step='4']")
    _expect_step(page, 4)
    expect(page.locator("[data-nav=prev]")).to_be_visible()
    # The engine's labels follow the page's language (they were once frozen in the language active at import).
    expect(page.locator("label[for=id_acts_recruitment]")).to_have_text(LABELS["recruitment"]["ky"])
    expect(page.locator("label[for=id_purposes_sexual_exploitation]")).to_have_text(LABELS["sexual_exploitation"]["ky"])

    # A child: the means are not asked, a note says why.
    expect(page.locator("#means-child-note")).to_be_visible()
    expect(page.locator("input[name=means]")).to_have_count(0)
    expect(page.locator("#vulnerability-evidence")).to_have_count(0)

    _tick(page, "#id_acts_recruitment")
    verdict = page.locator("#result-panel .verdict")
    expect(verdict).to_have_class(re.compile(r"verdict-elements_not_established"))  # no purpose yet
    expect(page.locator("#step-panel-4 #sexual-violence-question")).to_have_count(0)  # not yet: no sexual purpose
    _tick(page, "#id_purposes_sexual_exploitation")

    article = ARTICLE_BADGE["ky"].format(167)
    expect(verdict).to_have_class(re.compile(r"verdict-art_167"))
    expect(verdict.locator("strong")).to_have_text(article)
    expect(verdict.locator(".badge-child")).to_be_visible()
    expect(page.locator("#result-panel .error")).to_have_count(0)  # nothing missing
    explanation = page.locator("#result-panel pre.explanation")
    for code in ("art_167", "recruitment", "sexual_exploitation"):
        expect(explanation).to_contain_text(LABELS[code]["ky"])
    # The question that creates the 72-hour duty is asked right here, once.
    question = page.locator("#step-panel-4 #sexual-violence-question")
    expect(question).to_be_visible()
    expect(page.locator("input[name=sexual_violence]")).to_have_count(3)
    _tick(page, "#step-panel-4 input[name=sexual_violence][value=yes]")
    assert page.evaluate("window.__marker") == 1, "the result came with a page reload instead of an htmx swap"
    expect(page.locator("#means-child-note")).to_be_visible()
    expect(page.locator("#id_acts_recruitment")).to_be_checked()
    shot(page, f"{prefix}-03-wizard-step4-art167-question-in-place")

    screening = _save(page)
    assert (screening.case_id, screening.created_by.username) == (case.pk, "inspector")
    assert (screening.verdict, screening.articles, screening.child) == ("art_167", ["167"], True)
    assert screening.facts["acts"] == ["recruitment"] and screening.facts["purposes"] == ["sexual_exploitation"]
    assert "means" not in screening.facts
    assert (screening.victim, screening.person_not_identified, screening.sexual_violence) == (child, False, True)
    expect(page.locator("h1 .badge-article")).to_have_text(article)
    expect(page.locator("h1 .badge-child")).to_be_visible()
    expect(page.locator(".result-person")).to_contain_text(child.full_name)
    expect(page.locator("pre.explanation")).to_contain_text(LABELS["art_167"]["ky"])
    expect(page.locator("dl.facts")).to_contain_text(LABELS["recruitment"]["ky"])  # what was ticked, by label
    shot(page, f"{prefix}-04-screening-saved")

    with page.expect_navigation():
        page.click(f".crumbs a[href$='/cases/{case.pk}/']")
    expect(page.locator("#screening h2 .badge-article")).to_have_text(article)
    expect(page.locator(f"#screening > p a[href$='/screening/{screening.pk}/']")).to_be_visible()  # the latest
    # A child and Art. 167: referral, the three notifications and the rapport, and the 72 hours after sexual violence.
    expected_codes = {"refer_child_social_services", "notify_kib", "notify_duty_officer", "inform_ngo",
                      "rapport_registration", "health_information_72h"}  # fmt: skip
    assert set(Obligation.objects.filter(case=case).values_list("code", flat=True)) == expected_codes
    assert set(screening.obligations.values_list("code", flat=True)) == expected_codes
    obligations = page.locator("#obligations li.obligation-open")
    expect(obligations).to_have_count(len(expected_codes))
    for item in obligations.all():
        expect(item.locator("strong")).to_contain_text(DUE)
    # project-policy deadlines: the referral, the three notices due at its time, and the rapport; not the 72 hours
    expect(obligations.filter(has=page.locator(".badge-policy"))).to_have_count(5)
    shot(page, f"{prefix}-05-case-page-obligations")

    with page.expect_navigation():
        page.click(".mainnav a[href$='/cases/']")
    cell = _screening_cell(page, case)
    expect(cell.locator(".badge-article")).to_have_text(article)
    expect(cell.locator(".badge-article")).to_have_class(re.compile(r"badge-art-art_167"))
    expect(cell.locator(".badge-child")).to_be_visible()
    shot(page, f"{prefix}-06-case-list-badges")


# ---------------------------------------------------------------------------
# 2. The same child's case screened again, in Russian: the last screening's facts are the start, a change is marked
# ---------------------------------------------------------------------------
def test_inspector_screens_child_case_again_from_the_last_facts(login, page, shot):
    login(page, "inspector")
    with page.expect_navigation():
        page.click(".langswitch button[value=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    case = _child_case()
    child = case.victims.get()
    _unscreen(case)
    inspector = User.objects.get(username="inspector")
    first = screening_record(
        case=case, actor=inspector, victim=child,
        facts={"act_date": case.act_date.isoformat(), "victim_date_of_birth": child.date_of_birth.isoformat(),
               "acts": ["recruitment", "harbouring"], "purposes": ["sexual_exploitation"]},
        indicators=["held_against_will"], vulnerability=["young_age"], sexual_violence=True,
    )  # fmt: skip
    first_obligations = set(Obligation.objects.filter(case=case).values_list("code", flat=True))
    prefix = "24-child-again-ru"

    _open_case(page, case)
    _open_wizard(page, case)
    expect(page.locator(f".starts-from a[href$='/screening/{first.pk}/']")).to_be_visible()
    expect(page.locator(f"input[name=victim][value='{child.pk}']")).to_be_checked()
    expect(page.locator(".changed-mark:visible")).to_have_count(0)  # nothing changed yet
    expect(page.locator("#result-panel .changes")).to_be_visible()
    shot(page, f"{prefix}-01-wizard-starts-from-the-last-screening")

    page.click(".stepper [data-step='3']")
    _expect_step(page, 3)
    expect(page.locator("#id_vulnerability_age")).to_be_checked()  # an old code, read as today's item
    page.click(".stepper [data-step='4']")
    _expect_step(page, 4)
    for box in ("#id_acts_recruitment", "#id_acts_harbouring", "#id_purposes_sexual_exploitation"):
        expect(page.locator(box)).to_be_checked()
    expect(page.locator("#step-panel-4 input[name=sexual_violence][value=yes]")).to_be_checked()
    with page.expect_response(_is_preview):
        page.uncheck("#id_acts_harbouring")
    expect(page.locator("[data-changed-for=acts]")).to_be_visible()
    expect(page.locator(".stepper [data-changed-step='4']")).to_be_visible()
    expect(page.locator(".stepper [data-changed-step='3']")).to_be_hidden()
    expect(page.locator("#result-panel .changes")).to_contain_text("4.")
    expect(page.locator("#result-panel .verdict")).to_have_class(re.compile(r"verdict-art_167"))
    shot(page, f"{prefix}-02-wizard-step4-a-change-marked")

    screening = _save(page)
    assert screening.facts["acts"] == ["recruitment"] and screening.sexual_violence is True
    assert screening.indicators == ["held_against_will"] and screening.vulnerability == ["age"]
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    shot(page, f"{prefix}-03-screening-saved")
    with page.expect_navigation():
        page.click(f".crumbs a[href$='/cases/{case.pk}/']")
    expect(page.locator(f"#screening details a[href$='/screening/{first.pk}/']")).to_have_count(1)
    assert Obligation.objects.filter(case=case).count() == len(first_obligations)  # none added twice
    shot(page, f"{prefix}-04-case-page")


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
    _expect_act_date_seen(page)
    _choose_person(page, victim)
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
# 4. The keyboard only: the person chosen with Space, step tabs with the arrow keys (the tabs pattern) and Enter,
#    Enter in an input moves on, Tab reaches Next and Save
# ---------------------------------------------------------------------------
def test_wizard_with_keyboard_only(login, page, shot):
    login(page, "inspector")
    case = _child_case()
    _unscreen(case)
    _open_case(page, case)
    shot(page, "22-keyboard-ky-00-case")
    _open_wizard(page, case)
    wizard_url = page.url
    screenings_before = Screening.objects.count()
    page.evaluate("window.__marker = 1")

    page.focus(f"input[name=victim][value='{case.victims.get().pk}']")
    _press(page, "Space")
    expect(page.locator(f"input[name=victim][value='{case.victims.get().pk}']")).to_be_checked()

    # The tabs: one stop in the Tab order; the arrow keys, Home and End move along them and open their step.
    tabs = page.locator(".stepper [role=tab]")
    expect(page.locator(".stepper [role=tab][tabindex='0']")).to_have_count(1)
    page.focus(".stepper [data-step='1']")
    for key, step in (("ArrowRight", 2), ("ArrowRight", 3), ("End", 6), ("ArrowRight", 1), ("ArrowLeft", 6),
                      ("Home", 1)):  # fmt: skip
        page.keyboard.press(key)
        _expect_step(page, step)
        assert _focused_id(page) == f"step-tab-{step}", f"{key} did not move to tab {step}"
        expect(tabs.nth(step - 1)).to_have_attribute("tabindex", "0")
        expect(page.locator(".stepper [role=tab][tabindex='-1']")).to_have_count(5)

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
# 5. The wizard on a 390 px phone: the step tabs in one row, touch-sized; nothing scrolls sideways
# ---------------------------------------------------------------------------
def _expect_tabs_in_one_row(page) -> None:
    boxes = [tab.bounding_box() for tab in page.locator(".stepper [role=tab]").all()]
    assert len(boxes) == 6
    assert len({round(box["y"]) for box in boxes}) == 1, f"the step tabs wrap: {boxes}"
    assert all(box["height"] >= 40 and box["width"] >= 40 for box in boxes), f"tabs too small to touch: {boxes}"
    stepper = page.locator(".stepper").bounding_box()
    assert boxes[-1]["x"] + boxes[-1]["width"] <= stepper["x"] + stepper["width"] + 1


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_wizard_on_a_phone(login, new_context, shot, language):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, "inspector")
    if language != "ky":
        with page.expect_navigation():
            page.click(f".langswitch button[value={language}]")
    case = _adult_foreign_case()
    _unscreen(case)
    prefix = f"23-phone-390-{language}"
    _open_case(page, case)
    shot(page, f"{prefix}-00-case")
    _open_wizard(page, case)
    expect(page.locator("html")).to_have_attribute("lang", language)
    _expect_tabs_in_one_row(page)
    expect(page.locator("#step-panel-1 .step-counter")).to_be_visible()
    _choose_person(page, case.victims.get())
    shot(page, f"{prefix}-01-wizard-step1")
    assert _sideways_overflow(page) <= 0, "the wizard scrolls sideways on a 390 px phone (step 1)"

    page.tap(".stepper [data-step='3']")
    _expect_step(page, 3)
    _expect_tabs_in_one_row(page)
    shot(page, f"{prefix}-02-wizard-step3")
    assert _sideways_overflow(page) <= 0, "the wizard scrolls sideways on a 390 px phone (step 3)"

    page.tap(".stepper [data-step='4']")
    _expect_step(page, 4)
    _tick(page, "#id_acts_recruitment")
    _tick(page, "#id_means_abuse_of_vulnerability")
    expect(page.locator("#vulnerability-evidence")).to_be_visible()
    _tick(page, "#id_purposes_sexual_exploitation")
    expect(page.locator("#result-panel .verdict")).to_have_class(re.compile(r"verdict-elements_not_established"))
    expect(page.locator("#result-panel")).to_be_visible()
    shot(page, f"{prefix}-03-wizard-step4")
    assert _sideways_overflow(page) <= 0, "the wizard scrolls sideways on a 390 px phone (step 4)"
    _expect_tabs_in_one_row(page)
