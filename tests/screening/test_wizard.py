"""The wizard names its person and its act date: the officer chooses the person (or says the person is not yet
identified), and the date of the act is one the officer saw, never a silent today."""

import re
from datetime import date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Organisation
from accounts.roles import Role
from cases import services as case_services
from screening.models import Screening
from screening.services import screening_record
from tests.factories import CaseFactory, UserFactory, VictimFactory
from tests.screening.test_views import (
    ACT_DATE,
    BORN_16_YEARS_BEFORE,
    HTMX,
    INCIDENT,
    form_data,
    preview_url,
    wizard_url,
)

pytestmark = pytest.mark.django_db

BISHKEK = ZoneInfo("Asia/Bishkek")
RECEIVED = datetime(2025, 3, 4, 9, 30, tzinfo=BISHKEK)
PERSON_REQUIRED = "Choose the person this screening is about, or “Not yet identified”."


@pytest.fixture
def case(owner):
    return CaseFactory(created_by=owner, incident_at=INCIDENT)


@pytest.fixture
def browse(client):
    """Log a user in, in English, and return the client."""

    def login(user):
        client.force_login(user)
        client.cookies["cms_language"] = "en"
        return client

    return login


@pytest.fixture
def analyst_with_grant(analyst, owner, case):
    case_services.case_grant_access(case=case, grantee=analyst, actor=owner, can_change=True)
    return analyst


@pytest.fixture
def ngo_staff_with_grant(ministry, owner, case):
    ishenim = Organisation.objects.create(name="Ишеним", kind=Organisation.Kind.NGO)
    ngo_staff = UserFactory(unit=ministry, roles=[Role.NGO_STAFF], organisation=ishenim)
    case_services.case_grant_access(case=case, grantee=ngo_staff, actor=owner, can_change=True)
    return ngo_staff


def checked_radios(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]+)"[^>]*\bchecked\b', html)


def radio_values(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]+)"', html)


def input_value(html: str, name: str) -> str | None:
    """The value attribute of the input named `name`, or None when it has none."""
    (tag,) = re.findall(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    found = re.search(r'\bvalue="([^"]*)"', tag)
    return found.group(1) if found else None


# -- the person --------------------------------------------------------------------------------------------------------


def test_the_wizard_asks_which_person_and_chooses_none_itself(browse, owner, case):
    first = VictimFactory(case=case, date_of_birth=BORN_16_YEARS_BEFORE)
    second = VictimFactory(case=case, last_name="Токтогулова", first_name="Бермет")

    html = browse(owner).get(wizard_url(case)).content.decode()

    assert radio_values(html, "victim") == [str(first.pk), str(second.pk), "not_identified"]
    assert checked_radios(html, "victim") == []
    assert "Not yet identified" in html
    assert input_value(html, "victim_date_of_birth") in (None, "")  # no person chosen, no one's date of birth


def test_saving_without_choosing_the_person_is_refused_and_saves_nothing(browse, owner, case):
    VictimFactory(case=case)
    data = form_data()
    data.pop("victim")

    response = browse(owner).post(wizard_url(case), data)

    assert response.status_code == 400
    assert response.context["form"].errors["victim"] == [PERSON_REQUIRED]
    assert not Screening.objects.exists()


def test_the_preview_does_not_wait_for_the_person(browse, owner, case):
    data = form_data(ui_child="1", ui_evidence="0")
    data.pop("victim")

    response = browse(owner).post(preview_url(case), data, **HTMX)

    assert response.context["result"]["verdict"] == "art_167"


def test_a_screening_of_the_chosen_person_names_them_on_the_result_and_on_the_screening_page(browse, owner, case):
    victim = VictimFactory(case=case, last_name="Сыдыкова", first_name="Айпери", date_of_birth=BORN_16_YEARS_BEFORE)
    client = browse(owner)

    preview = client.post(preview_url(case), form_data(victim=str(victim.pk), ui_person=str(victim.pk)), **HTMX)
    saved = client.post(wizard_url(case), form_data(victim=str(victim.pk)))

    assert "Screening of: Сыдыкова Айпери" in preview.content.decode()
    screening = Screening.objects.get()
    assert (screening.victim, screening.person_not_identified) == (victim, False)
    assert saved.url.startswith(reverse("cases:detail", args=[case.pk]))  # saving leads to the case page
    page = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert "Screening of: Сыдыкова Айпери" in page


def test_a_person_not_yet_identified_is_recorded_and_said_on_the_result_and_the_screening_page(browse, owner, case):
    VictimFactory(case=case)
    client = browse(owner)

    preview = client.post(preview_url(case), form_data(victim="not_identified"), **HTMX)
    client.post(wizard_url(case), form_data(victim="not_identified"))

    sentence = "The person is not yet identified: screen again once they are."
    assert sentence in preview.content.decode()
    screening = Screening.objects.get()
    assert (screening.victim, screening.person_not_identified) == (None, True)
    assert sentence in client.get(reverse("screening:detail", args=[screening.pk])).content.decode()


def test_a_case_without_a_person_offers_only_not_yet_identified_and_the_way_to_add_the_person(browse, owner, case):
    html = browse(owner).get(wizard_url(case)).content.decode()

    assert radio_values(html, "victim") == ["not_identified"]
    assert reverse("cases:victim_create", args=[case.pk]) in html


def test_a_person_and_not_identified_at_once_cannot_be_recorded(owner, case):
    victim = VictimFactory(case=case)

    with pytest.raises(ValueError):
        screening_record(
            case=case, actor=owner, facts={"act_date": ACT_DATE}, victim=victim, person_not_identified=True
        )
    assert not Screening.objects.exists()


def test_choosing_a_person_in_the_preview_brings_in_their_date_of_birth(browse, owner, case):
    victim = VictimFactory(case=case, date_of_birth=BORN_16_YEARS_BEFORE)
    data = form_data(victim=str(victim.pk), ui_person="", victim_age="", ui_child="0", ui_evidence="0")

    response = browse(owner).post(preview_url(case), data, **HTMX)

    html = response.content.decode()
    assert 'id="identity-block" hx-swap-oob="true"' in html
    assert input_value(html, "victim_date_of_birth") == BORN_16_YEARS_BEFORE.isoformat()
    assert input_value(html, "ui_person") == str(victim.pk)
    assert response.context["result"]["child"] is True


def test_the_preview_leaves_the_identity_alone_while_the_person_stays_the_same(browse, owner, case):
    victim = VictimFactory(case=case, date_of_birth=BORN_16_YEARS_BEFORE)
    data = form_data(victim=str(victim.pk), ui_person=str(victim.pk), victim_age="30")

    response = browse(owner).post(preview_url(case), data, **HTMX)

    assert 'id="identity-block"' not in response.content.decode()
    assert response.context["result"]["child"] is False  # the age the officer typed counts


@pytest.mark.parametrize("visitor", ["analyst_with_grant", "ngo_staff_with_grant"])
def test_roles_without_personal_data_are_not_told_the_persons_name(request, client_for, owner, case, visitor):
    victim = VictimFactory(case=case, last_name="Сыдыкова", first_name="Айпери")
    screening = screening_record(case=case, actor=owner, facts={"act_date": ACT_DATE}, victim=victim)
    client = client_for(request.getfixturevalue(visitor))
    client.cookies["cms_language"] = "en"

    html = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()

    assert "Сыдыкова" not in html and "Айпери" not in html
    assert "Screening of: a person recorded in the case" in html


# -- the date of the act -----------------------------------------------------------------------------------------------


def test_the_act_date_comes_from_the_incident_and_says_so(browse, owner, case):
    html = browse(owner).get(wizard_url(case)).content.decode()

    assert input_value(html, "act_date") == ACT_DATE
    assert "Taken from the date of the incident recorded on the case." in html
    assert 'name="act_date_unknown"' not in html  # the fallback is offered only without an incident date


def test_without_an_incident_date_the_act_date_is_left_for_the_officer(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None, received_at=RECEIVED)

    html = browse(owner).get(wizard_url(case)).content.decode()

    assert input_value(html, "act_date") in (None, "")
    assert "The case has no date of the incident: enter the date of the act." in html
    assert "The date of the act is not known: use the day the report came in, 04.03.2025" in html


def test_without_a_date_and_without_the_fallback_nothing_is_saved(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None, received_at=RECEIVED)

    response = browse(owner).post(wizard_url(case), form_data(act_date=""))

    assert response.status_code == 400
    assert response.context["form"].errors["act_date"] == [
        "Enter the date of the act, or tick that it is not known to use the day the report came in."
    ]
    assert not Screening.objects.exists()


def test_the_stated_fallback_uses_the_day_the_report_came_in_and_the_screening_says_so(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None, received_at=RECEIVED)
    client = browse(owner)

    client.post(wizard_url(case), form_data(act_date="", act_date_unknown="on"))

    screening = Screening.objects.get()
    assert screening.facts["act_date"] == "2025-03-04"
    assert screening.act_date_unknown is True
    page = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert "Date of the act: 04.03.2025 (not known: the day the report came in was used)" in page


def test_the_result_says_when_the_day_the_report_came_in_stands_for_the_act_date(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None, received_at=RECEIVED)

    html = browse(owner).post(preview_url(case), form_data(act_date="", act_date_unknown="on"), **HTMX)

    assert "Date of the act: 04.03.2025 (not known: the day the report came in was used)" in html.content.decode()


def test_a_date_typed_together_with_the_fallback_is_refused(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None, received_at=RECEIVED)

    response = browse(owner).post(wizard_url(case), form_data(act_date="2025-02-01", act_date_unknown="on"))

    assert response.status_code == 400
    assert response.context["form"].errors["act_date"] == [
        "You entered a date and ticked that it is not known: clear one of the two."
    ]
    assert not Screening.objects.exists()


# -- screening again: the latest screening's facts are the start ---------------------------------------------------

ADULT_SCREENED = {
    "act_date": "2025-02-20",
    "victim_age": 30,
    "acts": ["recruitment", "transportation"],
    "means": ["abuse_of_vulnerability"],
    "vulnerability_evidenced": True,
    "vulnerability_abuse_evidenced": False,
    "purposes": ["forced_labour"],
    "exploitation_occurred": ["forced_labour"],
    "moved_across_kr_border": True,
    "suspect_age": 41,
    "suspect_sane": True,
}


@pytest.fixture
def screened(owner, case):
    """An adult's case screened once, with something ticked on every step."""
    victim = VictimFactory(case=case, date_of_birth=None, approximate_age=30)
    return screening_record(
        case=case,
        actor=owner,
        facts=ADULT_SCREENED,
        victim=victim,
        indicators=["held_against_will", "no_access_to_earnings"],
        vulnerability=["financial_hardship"],
        vulnerability_kinds=["circumstantial"],
        vulnerability_factors=["demand_cheap_labour"],
        high_risk=True,
        notes="Биринчи маек.",
    )


def ticked(html: str, name: str) -> set[str]:
    return set(re.findall(rf'<input type="checkbox" name="{name}" value="(\w+)" id="[^"]+" checked', html))


def is_checked(html: str, name: str) -> bool:
    (tag,) = re.findall(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    return " checked" in tag


def test_a_new_screening_starts_from_the_latest_screenings_facts(browse, owner, case, screened):
    html = browse(owner).get(wizard_url(case)).content.decode()

    assert checked_radios(html, "victim") == [str(screened.victim_id)]
    assert input_value(html, "act_date") == "2025-02-20"
    assert input_value(html, "victim_age") == "30"
    assert ticked(html, "adult_indicators") == {"held_against_will", "no_access_to_earnings"}
    assert ticked(html, "vulnerability") == {"financial_hardship"}
    assert ticked(html, "vulnerability_kinds") == {"circumstantial"}
    assert ticked(html, "vulnerability_factors") == {"demand_cheap_labour"}
    assert ticked(html, "acts") == {"recruitment", "transportation"}
    assert ticked(html, "means") == {"abuse_of_vulnerability"}
    assert is_checked(html, "vulnerability_evidenced") and not is_checked(html, "vulnerability_abuse_evidenced")
    assert ticked(html, "purposes") == {"forced_labour"}
    assert ticked(html, "exploitation_occurred") == {"forced_labour"}
    assert is_checked(html, "moved_across_kr_border") and not is_checked(html, "crossed_border")
    assert input_value(html, "suspect_age") == "41"
    assert re.search(r'<option value="yes" selected>', html)  # the suspect is sane
    assert is_checked(html, "high_risk") and not is_checked(html, "violence_against_women")
    assert "Биринчи маек." not in html  # notes belong to their screening
    assert "As in the last screening." in html  # where the act date came from


def test_the_wizard_says_which_screening_it_starts_from(browse, owner, case, screened):
    html = browse(owner).get(wizard_url(case)).content.decode()

    assert reverse("screening:detail", args=[screened.pk]) in html
    assert "This screening starts from the facts of the screening of" in html


def test_an_untouched_repeat_is_shown_as_unchanged(browse, owner, case, screened):
    client = browse(owner)
    form = client.get(wizard_url(case)).context["form"]
    data = {**form_as_posted(form), "ui_child": "0", "ui_evidence": "1", "ui_person": str(screened.victim_id)}

    response = client.post(preview_url(case), data, **HTMX)

    html = response.content.decode()
    assert response.context["changed"] == set()
    assert 'data-changed=""' in html
    assert "Nothing has changed since the screening of" in html


def test_what_differs_from_the_latest_screening_is_marked_changed_with_its_step(browse, owner, case, screened):
    client = browse(owner)
    form = client.get(wizard_url(case)).context["form"]
    data = {**form_as_posted(form), "ui_child": "0", "ui_evidence": "1", "ui_person": str(screened.victim_id)}
    data["acts"] = ["recruitment"]  # transportation no longer
    data["vulnerability_factors"] = ["demand_cheap_labour", "organised_crime"]

    response = client.post(preview_url(case), data, **HTMX)

    html = response.content.decode()
    assert response.context["changed"] == {"acts", "vulnerability_factors"}
    assert re.search(r'data-changed="(acts vulnerability_factors|vulnerability_factors acts)"', html)
    assert 'data-changed-steps="3 4"' in html
    assert "Changed since the screening of" in html
    assert "3. Vulnerability" in html and "4. Acts, means, purposes" in html


def test_the_changed_marks_are_text_not_colour_alone(browse, owner, case, screened):
    client = browse(owner)
    form = client.get(wizard_url(case)).context["form"]
    data = {**form_as_posted(form), "high_risk": ""}

    html = client.post(wizard_url(case), {**data, "victim": ""}).content.decode()  # refused: the page comes back

    marks = re.findall(r'<span class="changed-mark" data-changed-for="(\w+)"( hidden)?>(.*?)</span>', html, re.S)
    shown = {name for name, hidden, _text in marks if not hidden}
    assert shown == {"victim", "high_risk"}
    assert all("changed" in text for _name, _hidden, text in marks)
    step_marks = dict(re.findall(r'data-changed-step="(\d)"( hidden)?', html))
    assert step_marks == {"1": "", "2": " hidden", "3": " hidden", "4": " hidden", "5": ""}


def test_a_first_screening_shows_no_changed_marks(browse, owner, case):
    html = browse(owner).get(wizard_url(case)).content.decode()

    assert "changed-mark" not in html
    assert "data-changed=" not in html


def test_a_person_whose_record_now_has_a_date_of_birth_starts_with_it_marked_changed(browse, owner, case, screened):
    victim = screened.victim
    victim.date_of_birth, victim.approximate_age = date(1994, 4, 4), None
    victim.save()

    response = browse(owner).get(wizard_url(case))

    html = response.content.decode()
    assert input_value(html, "victim_date_of_birth") == "1994-04-04"
    assert {"victim_date_of_birth", "victim_age"} <= response.context["changed"]


def test_an_act_date_that_was_not_known_gives_way_to_the_incident_date_recorded_since(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None, received_at=RECEIVED)
    screening_record(
        case=case, actor=owner, facts={"act_date": "2025-03-04"}, person_not_identified=True, act_date_unknown=True
    )
    case.incident_at = INCIDENT
    case.save()

    response = browse(owner).get(wizard_url(case))

    html = response.content.decode()
    assert input_value(html, "act_date") == ACT_DATE
    assert "Taken from the date of the incident recorded on the case." in html
    assert checked_radios(html, "victim") == ["not_identified"]
    assert "act_date" in response.context["changed"]


def form_as_posted(form) -> dict:
    """What the browser posts back for the wizard opened and sent untouched."""
    from tests.test_hostile_input import _as_posted

    return _as_posted(form)


# -- the questions that create duties ------------------------------------------------------------------------------

SEXUAL_VIOLENCE_REQUIRED = (
    "Answer whether the child suffered sexual violence: a “yes” starts the 72 hours for health information."
)


def step_panel(html: str, step: int) -> str:
    """The HTML of one step of the wizard."""
    return html.split(f'id="step-panel-{step}"')[1].split("</section>")[0]


@pytest.mark.parametrize("purpose", ["sexual_exploitation", "child_pornography"])
def test_for_a_child_with_a_sexual_purpose_step_4_asks_about_sexual_violence_once(browse, owner, case, purpose):
    data = form_data(purposes=[purpose])
    data.pop("victim")  # refused: the page comes back as the officer left it

    html = browse(owner).post(wizard_url(case), data).content.decode()

    assert radio_values(step_panel(html, 4), "sexual_violence") == ["yes", "no", "unknown"]
    assert html.count('name="sexual_violence"') == 3  # one question, nowhere else
    assert "it works only within 72 hours after the assault" in step_panel(html, 4)


def test_ticking_a_sexual_purpose_for_a_child_brings_the_question_into_step_4(browse, owner, case):
    data = form_data(purposes=["sexual_exploitation"], ui_child="1", ui_evidence="0", ui_sexual="5")

    html = browse(owner).post(preview_url(case), data, **HTMX).content.decode()

    step4 = html.split('id="sexual-violence-4" hx-swap-oob="true"')[1].split('id="sexual-violence-5"')[0]
    assert radio_values(step4, "sexual_violence") == ["yes", "no", "unknown"]
    assert 'id="sexual-violence-5" hx-swap-oob="true"' in html
    assert html.count('name="sexual_violence"') == 3


def test_the_sexual_violence_answer_is_needed_to_save_a_child_with_a_sexual_purpose(browse, owner, case):
    response = browse(owner).post(wizard_url(case), form_data(sexual_violence=None))

    assert response.status_code == 400
    assert response.context["form"].errors["sexual_violence"] == [SEXUAL_VIOLENCE_REQUIRED]
    assert not Screening.objects.exists()


@pytest.mark.parametrize(("answer", "stored", "health_item"), [("yes", True, True), ("no", False, False),
                                                                ("unknown", None, False)])  # fmt: skip
def test_the_answer_is_kept_and_a_yes_creates_the_72_hour_item(browse, owner, case, answer, stored, health_item):
    response = browse(owner).post(wizard_url(case), form_data(sexual_violence=answer))

    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.sexual_violence is stored
    assert case.obligations.filter(code="health_information_72h").exists() is health_item


def test_for_a_child_without_a_sexual_purpose_the_question_waits_in_step_5_unrequired(browse, owner, case):
    client = browse(owner)
    data = form_data(purposes=["forced_labour"], sexual_violence=None)

    refused = client.post(wizard_url(case), {**data, "victim": ""}).content.decode()
    saved = client.post(wizard_url(case), data)

    assert radio_values(step_panel(refused, 5), "sexual_violence") == ["yes", "no", "unknown"]
    assert 'name="sexual_violence"' not in step_panel(refused, 4)
    assert saved.status_code == 302
    assert Screening.objects.get().sexual_violence is None  # not known


def test_for_an_adult_the_sexual_violence_of_a_child_is_not_asked(browse, owner, case):
    client = browse(owner)
    data = form_data(victim_age="30", means=["deception"], sexual_violence="yes")

    refused = client.post(wizard_url(case), {**data, "victim": ""}).content.decode()
    client.post(wizard_url(case), data)

    assert 'name="sexual_violence"' not in refused
    assert Screening.objects.get().sexual_violence is False
    assert not case.obligations.filter(code="health_information_72h").exists()


def test_screening_again_carries_a_yes_and_asks_again_what_was_not_answered(browse, owner, case):
    client = browse(owner)
    client.post(wizard_url(case), form_data(sexual_violence="yes"))
    carried = client.get(wizard_url(case)).content.decode()
    client.post(wizard_url(case), form_data(sexual_violence="unknown"))
    asked_again = client.get(wizard_url(case)).content.decode()

    assert checked_radios(carried, "sexual_violence") == ["yes"]
    assert checked_radios(asked_again, "sexual_violence") == []


# -- vulnerability: groups that do not overlap, help texts, old codes still readable ---------------------------------


def test_step_3_shows_each_vulnerability_item_once_in_its_group_with_a_help_text(browse, owner, case):
    from screening.help_texts import VULNERABILITY_HELP
    from screening.indicators import VULNERABILITY_GROUPS

    html = step_panel(browse(owner).get(wizard_url(case)).content.decode(), 3)

    for group in VULNERABILITY_GROUPS.values():
        assert str(group["legend"]) in html
    codes = re.findall(r'<input type="checkbox" name="vulnerability" value="(\w+)"', html)
    assert len(codes) == len(set(codes))
    for code in codes:
        assert f'id="id_vulnerability_{code}_help"' in html
        assert escape(str(VULNERABILITY_HELP[code])) in html


def test_a_screening_stored_with_old_vulnerability_codes_carries_them_over_as_todays(browse, owner, case):
    screening_record(
        case=case,
        actor=owner,
        facts={"act_date": ACT_DATE, "victim_age": 30},
        person_not_identified=True,
        vulnerability=["poverty", "young_or_old_age", "illegal_stay", "drug_dependency_created"],
    )

    html = browse(owner).get(wizard_url(case)).content.decode()

    assert ticked(html, "vulnerability") == {"financial_hardship", "age", "irregular_status", "drug_dependency_created"}


# -- the step tabs: the WAI-ARIA tabs pattern ------------------------------------------------------------------------


class _Elements(HTMLParser):
    """Every element of a page with its attributes and its parent's, in document order."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[dict] = []
        self.open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "parent": self.open[-1] if self.open else None}
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break


def elements(html: str) -> list[dict]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def test_the_step_tabs_follow_the_tabs_pattern(browse, owner, case):
    page = elements(browse(owner).get(wizard_url(case)).content.decode())

    (tablist,) = [e for e in page if e["attrs"].get("role") == "tablist"]
    children = [e for e in page if e["parent"] is tablist]
    tabs = [e for e in page if e["attrs"].get("role") == "tab"]
    panels = {e["attrs"]["id"]: e for e in page if e["attrs"].get("role") == "tabpanel"}
    assert children == tabs and len(tabs) == 6  # the tabs are the tablist's own children: no list items between
    assert not [e for e in page if e["tag"] == "li" and e["parent"] and e["parent"]["attrs"].get("role") == "tablist"]
    assert [tab["attrs"].get("aria-selected") for tab in tabs] == ["true"] + ["false"] * 5
    assert [tab["attrs"].get("tabindex") for tab in tabs] == [None] + ["-1"] * 5  # one tab in the Tab order
    for tab in tabs:
        assert tab["tag"] == "button" and tab["attrs"]["type"] == "button"
        assert tab["attrs"]["aria-controls"] in panels
    for panel in panels.values():
        labelled_by = panel["attrs"]["aria-labelledby"]
        assert [e for e in page if e["attrs"].get("id") == labelled_by]


def test_each_step_says_which_of_the_six_it_is(browse, owner, case):
    html = browse(owner).get(wizard_url(case)).content.decode()

    for step in range(1, 7):
        assert f"Step {step} of 6" in step_panel(html, step)


def test_the_preview_lists_what_to_correct_with_a_link_to_each_field(browse, owner):
    case = CaseFactory(created_by=owner, incident_at=None, received_at=RECEIVED)

    html = browse(owner).post(preview_url(case), form_data(act_date="", victim_age="fifteen"), **HTMX)

    body = html.content.decode()
    assert '<a href="#id_act_date">Date of the act</a>: Enter the date of the act, or tick that it is not known' in body
    assert '<a href="#id_victim_age">Age in years, when the date of birth is unknown</a>: Enter a whole number.' in body


def test_screen_now_from_a_persons_page_opens_the_wizard_with_that_person_chosen(browse, owner, case):
    VictimFactory(case=case, last_name="Асанова")
    chosen = VictimFactory(case=case, last_name="Сыдыкова", first_name="Айпери", date_of_birth=BORN_16_YEARS_BEFORE)
    client = browse(owner)

    html = client.get(f"{wizard_url(case)}?victim={chosen.pk}").content.decode()

    assert checked_radios(html, "victim") == [str(chosen.pk)]
    assert input_value(html, "victim_date_of_birth") == BORN_16_YEARS_BEFORE.isoformat()


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-4000-8000-000000000000", "\x00"])
def test_a_person_in_the_link_who_is_not_of_this_case_chooses_nobody(browse, owner, case, outsider, value):
    VictimFactory(case=case)
    foreign = VictimFactory(case=CaseFactory(created_by=outsider))
    client = browse(owner)

    for given in (value, str(foreign.pk)):
        response = client.get(wizard_url(case), {"victim": given})

        assert response.status_code == 200
        assert checked_radios(response.content.decode(), "victim") == []
