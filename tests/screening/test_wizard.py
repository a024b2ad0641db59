"""The wizard names its person and its act date: the officer chooses the person (or says the person is not yet
identified), and the date of the act is one the officer saw, never a silent today."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

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
    page = client.get(saved.url).content.decode()
    assert "Screening of: Сыдыкова Айпери" in page


def test_a_person_not_yet_identified_is_recorded_and_said_on_the_result_and_the_screening_page(browse, owner, case):
    VictimFactory(case=case)
    client = browse(owner)

    preview = client.post(preview_url(case), form_data(victim="not_identified"), **HTMX)
    saved = client.post(wizard_url(case), form_data(victim="not_identified"))

    sentence = "The person is not yet identified: screen again once they are."
    assert sentence in preview.content.decode()
    screening = Screening.objects.get()
    assert (screening.victim, screening.person_not_identified) == (None, True)
    assert sentence in client.get(saved.url).content.decode()


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

    response = client.post(wizard_url(case), form_data(act_date="", act_date_unknown="on"))

    screening = Screening.objects.get()
    assert screening.facts["act_date"] == "2025-03-04"
    assert screening.act_date_unknown is True
    page = client.get(response.url).content.decode()
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
