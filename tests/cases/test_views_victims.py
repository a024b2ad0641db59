"""Pages about a possible victim: adding one (with the duplicate check), the person page, editing, representatives."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, LegalRepresentative, PersonalDataAccess, Victim
from cases.probes import phone_blind_index
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

INCIDENT_DATE = date(2025, 3, 10)


def victim_data(**changes) -> dict:
    data = {
        "last_name": "Асанова",
        "first_name": "Айжан",
        "patronymic": "Бековна",
        "last_name_latin": "",
        "first_name_latin": "",
        "sex": "female",
        "date_of_birth": "",
        "approximate_age": "",
        "citizenship": "KG",
        "foreign_status_documents": "",
        "receiving_organisation": "",
        "residence_address": "Аламүдүн району, Лебединовка айылы",
        "temporary_residence_address": "",
        "phone": "",
        "other_contacts": "",
        "id_document_type": "",
        "id_document_number": "",
        "identity_established_by": "not_yet",
    }
    data.update(changes)
    return data


def edit_data(victim: Victim, **changes) -> dict:
    data = victim_data(
        last_name=victim.last_name,
        first_name=victim.first_name,
        patronymic=victim.patronymic,
        last_name_latin=victim.last_name_latin,
        first_name_latin=victim.first_name_latin,
        sex=victim.sex,
        date_of_birth=victim.date_of_birth.isoformat() if victim.date_of_birth else "",
        approximate_age=victim.approximate_age if victim.approximate_age is not None else "",
        citizenship=victim.citizenship,
        residence_address=victim.residence_address,
        phone=victim.phone,
        identity_established_by=victim.identity_established_by,
        version=victim.version,
    )
    if victim.appears_minor:
        data["appears_minor"] = "on"
    data.update(changes)
    return data


def _add_victim(case, actor, **data) -> Victim:
    defaults = {"last_name": "Асанова", "first_name": "Айжан", "sex": "female", "citizenship": "KG"}
    return services.victim_create(case=case, actor=actor, data={**defaults, **data})


def _born_years_before(day: date, years: int) -> date:
    """A date of birth whose birthday fell a month before `day`, `years` years earlier."""
    birthday = day - timedelta(days=30)
    return birthday.replace(year=birthday.year - years)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def case(owner):
    """The owner's case; the incident took place on INCIDENT_DATE."""
    incident = timezone.make_aware(timezone.datetime(2025, 3, 10, 14, 0))
    return CaseFactory(created_by=owner, incident_at=incident)


@pytest.fixture
def victim(case, owner):
    return _add_victim(case, owner, date_of_birth=_born_years_before(INCIDENT_DATE, 30), phone="0555 12 34 56")


def _messages(response) -> list:
    return list(response.context["messages"])


# ---------------------------------------------------------------------------
# Adding a person
# ---------------------------------------------------------------------------
def test_the_new_person_form_opens(client_for, owner, case):
    response = client_for(owner).get(reverse("cases:victim_create", args=[case.pk]))
    assert response.status_code == 200
    assert "confirm_not_duplicate" in response.context["form"].fields
    assert "version" not in response.context["form"].fields


def test_a_new_person_is_saved_and_the_user_sent_to_the_person_page(client_for, owner, case):
    response = client_for(owner).post(reverse("cases:victim_create", args=[case.pk]), victim_data())

    victim = Victim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:victim_detail", args=[victim.pk])
    assert (victim.case, victim.full_name, victim.name_key) == (case, "Асанова Айжан Бековна", "aijan asanova")
    assert victim.history.get().history_user == owner


def test_a_person_without_any_name_is_refused(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:victim_create", args=[case.pk]), victim_data(last_name="", first_name="", patronymic="")
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Victim.objects.exists()


def test_a_possible_duplicate_asks_for_confirmation_and_saves_nothing(client_for, english, owner, case):
    # given the same woman is already recorded in another case of the owner, in Cyrillic
    other = CaseFactory(created_by=owner)
    existing = _add_victim(other, owner)

    # when the owner adds her again with the name in Latin letters
    response = client_for(owner).post(
        reverse("cases:victim_create", args=[case.pk]),
        victim_data(last_name="", first_name="", patronymic="", last_name_latin="Asanova", first_name_latin="Aizhan"),
    )

    # then the form asks to check the match, and nothing is saved
    assert response.status_code == 200
    assert response.context["form"].errors["confirm_not_duplicate"] == [
        "Possible matches were found. Check them, then confirm that this is a different person."
    ]
    assert response.context["duplicates"].visible == [existing]
    assert reverse("cases:victim_detail", args=[existing.pk]) in response.content.decode()
    assert list(Victim.objects.all()) == [existing]


def test_a_confirmed_different_person_is_saved_despite_a_possible_match(client_for, owner, case):
    _add_victim(CaseFactory(created_by=owner), owner)
    response = client_for(owner).post(
        reverse("cases:victim_create", args=[case.pk]), victim_data(confirm_not_duplicate="on")
    )
    assert response.status_code == 302
    assert Victim.objects.filter(case=case).count() == 1


def test_a_possible_duplicate_in_another_district_is_counted_not_shown(client_for, duty_officer, outsider, case):
    # given the same name in a case of another district
    foreign_case = CaseFactory(created_by=outsider)
    hidden = _add_victim(foreign_case, outsider)

    # when the duty officer (told how many matches other units hold) adds the person
    response = client_for(duty_officer).post(reverse("cases:victim_create", args=[case.pk]), victim_data())

    body = response.content.decode()
    assert response.status_code == 200
    assert "confirm_not_duplicate" in response.context["form"].errors
    assert (response.context["duplicates"].visible, response.context["duplicates"].hidden_count) == ([], 1)
    assert str(hidden.pk) not in body
    assert foreign_case.number not in body
    assert Victim.objects.count() == 1


def test_a_date_of_birth_after_the_act_is_refused(client_for, english, owner, case):
    response = client_for(owner).post(
        reverse("cases:victim_create", args=[case.pk]), victim_data(date_of_birth="2025-03-11")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == ["The date of birth is after the date of the act."]
    assert not Victim.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(client_for, owner, case):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(owner).post(
        reverse("cases:victim_create", args=[case.pk]), victim_data(date_of_birth=tomorrow.isoformat())
    )
    assert "date_of_birth" in response.context["form"].errors
    assert not Victim.objects.exists()


def test_an_approximate_age_next_to_a_date_of_birth_is_refused(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:victim_create", args=[case.pk]), victim_data(date_of_birth="2000-01-01", approximate_age="25")
    )
    assert "approximate_age" in response.context["form"].errors
    assert not Victim.objects.exists()


def test_an_unknown_citizenship_code_is_refused(client_for, owner, case):
    response = client_for(owner).post(reverse("cases:victim_create", args=[case.pk]), victim_data(citizenship="QQ"))
    assert "citizenship" in response.context["form"].errors
    assert not Victim.objects.exists()


# ---------------------------------------------------------------------------
# The live duplicate check
# ---------------------------------------------------------------------------
def test_the_live_check_returns_only_the_matches_partial(client_for, owner, case):
    existing = _add_victim(CaseFactory(created_by=owner), owner)
    response = client_for(owner).post(
        reverse("cases:victim_duplicates", args=[case.pk]), {"last_name_latin": "Asanova", "first_name_latin": "Aizhan"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "cases/_duplicates.html"
    assert "<html" not in body
    assert body.startswith('<div id="duplicates"')
    assert reverse("cases:victim_detail", args=[existing.pk]) in body
    assert existing.case.number in body


def test_the_live_check_never_lists_a_person_of_a_case_the_user_cannot_see(
    client_for, english, duty_officer, outsider, case
):
    foreign_case = CaseFactory(created_by=outsider)
    hidden = _add_victim(foreign_case, outsider, phone="+996 700 11 22 33")

    response = client_for(duty_officer).post(
        reverse("cases:victim_duplicates", args=[case.pk]), {"last_name": "Асанова", "phone": "0700112233"}
    )

    body = response.content.decode()
    assert response.context["duplicates"].visible == []
    assert response.context["duplicates"].hidden_count == 1
    assert "1 more possible match is in a case of another unit" in body
    assert str(hidden.pk) not in body
    assert foreign_case.number not in body
    assert "Асанова" not in body and "0700" not in body


def test_an_inspector_is_not_told_about_matches_in_other_units_nor_asked_to_confirm_them(
    client_for, english, owner, outsider, case
):
    # given the same woman is recorded only in a case of another district
    _add_victim(CaseFactory(created_by=outsider), outsider)

    # when the inspector adds her
    response = client_for(owner).post(reverse("cases:victim_create", args=[case.pk]), victim_data())

    # then nothing hints at the other unit's case: the person is saved
    assert response.status_code == 302
    assert Victim.objects.filter(case=case).count() == 1


def test_the_live_check_with_no_match_returns_an_empty_placeholder(client_for, owner, case):
    response = client_for(owner).post(reverse("cases:victim_duplicates", args=[case.pk]), {"last_name": "Жумабекова"})
    assert response.status_code == 200
    assert "<section" not in response.content.decode()


def test_the_live_check_accepts_half_filled_and_malformed_input(client_for, owner, case):
    response = client_for(owner).post(
        reverse("cases:victim_duplicates", args=[case.pk]), {"date_of_birth": "31.02", "approximate_age": "many"}
    )
    assert response.status_code == 200


def test_the_live_check_answers_only_post(client_for, owner, case):
    assert client_for(owner).get(reverse("cases:victim_duplicates", args=[case.pk])).status_code == 405


# ---------------------------------------------------------------------------
# The person page
# ---------------------------------------------------------------------------
def test_the_person_page_shows_the_personal_data_and_is_not_cached(client_for, owner, victim):
    response = client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk]), HTTP_USER_AGENT="Firefox/140")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Асанова Айжан" in body and "0555 12 34 56" in body
    assert "no-store" in response["Cache-Control"]
    row = PersonalDataAccess.objects.get()
    assert (row.ip_address, row.user_agent, row.unit) == ("127.0.0.1", "Firefox/140", owner.unit)


def test_every_opening_of_the_person_page_appends_a_row(client_for, owner, duty_officer, victim):
    client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk]))
    client_for(duty_officer).get(reverse("cases:victim_detail", args=[victim.pk]))
    assert sorted(PersonalDataAccess.objects.values_list("user", flat=True)) == sorted([owner.pk, duty_officer.pk])


def test_a_16_year_old_carries_the_child_badge(client_for, owner, case):
    child = _add_victim(case, owner, date_of_birth=_born_years_before(INCIDENT_DATE, 16))
    response = client_for(owner).get(reverse("cases:victim_detail", args=[child.pk]))
    assert response.context["victim"].age_at_act == 16
    assert "badge-child" in response.content.decode()


def test_an_adult_carries_no_child_badge(client_for, owner, victim):
    response = client_for(owner).get(reverse("cases:victim_detail", args=[victim.pk]))
    assert response.context["victim"].age_at_act == 30
    assert "badge-child" not in response.content.decode()


def test_on_the_18th_birthday_the_person_is_still_a_child(client_for, owner, case):
    born = INCIDENT_DATE.replace(year=INCIDENT_DATE.year - 18)
    child = _add_victim(case, owner, date_of_birth=born)
    response = client_for(owner).get(reverse("cases:victim_detail", args=[child.pk]))
    assert response.context["victim"].age_at_act == 17
    assert "badge-child" in response.content.decode()


def test_a_person_who_appears_minor_is_treated_as_a_child_and_the_page_says_why(client_for, english, owner, case):
    unknown_age = _add_victim(case, owner, appears_minor=True)
    response = client_for(owner).get(reverse("cases:victim_detail", args=[unknown_age.pk]))
    body = response.content.decode()
    assert "badge-child" in body
    assert "Appears to be a minor: treated as a child until the age is established (project policy)." in body


def test_the_minor_presumption_gives_way_to_a_known_adult_age(client_for, english, owner, case):
    adult = _add_victim(case, owner, appears_minor=True, approximate_age=25)
    body = client_for(owner).get(reverse("cases:victim_detail", args=[adult.pk])).content.decode()
    assert "badge-child" not in body
    assert "Appears to be a minor" not in body


def test_the_case_page_shows_a_victim_by_initials_only(client_for, owner, victim):
    body = client_for(owner).get(reverse("cases:detail", args=[victim.case.pk])).content.decode()
    assert "А. А." in body
    assert "Асанова" not in body
    # initials, sex and age are still the person's data: the page writes one row
    [row] = PersonalDataAccess.objects.all()
    assert (row.action, row.record_type) == ("view", "case")


# ---------------------------------------------------------------------------
# Editing a person
# ---------------------------------------------------------------------------
def test_opening_the_edit_form_is_logged_as_a_read_of_personal_data(client_for, owner, victim):
    response = client_for(owner).get(reverse("cases:victim_edit", args=[victim.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == 1
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.action, row.record_type, row.record_id) == (owner, "edit_form", "victim", str(victim.pk))


def test_a_valid_edit_of_a_person_is_saved(client_for, owner, victim):
    response = client_for(owner).post(
        reverse("cases:victim_edit", args=[victim.pk]), edit_data(victim, phone="+996 700 11 22 33")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:victim_detail", args=[victim.pk])
    saved = Victim.objects.get(pk=victim.pk)
    assert (saved.phone, saved.phone_key, saved.version) == ("+996 700 11 22 33", phone_blind_index("700112233"), 2)
    assert saved.history.first().history_user == owner


def test_a_stale_edit_of_a_person_answers_409_and_overwrites_nothing(client_for, english, owner, duty_officer, victim):
    # given the owner opened the form, then the duty officer corrected the phone
    stale_form = edit_data(victim, residence_address="Бишкек, Жал")
    services.victim_update(victim=victim, actor=duty_officer, data={"phone": "0700 99 88 77"}, version=1)

    # when the owner saves the old form
    response = client_for(owner).post(reverse("cases:victim_edit", args=[victim.pk]), stale_form)

    # then the answer is 409 with who changed what, and both the phone and the address keep the stored values
    assert response.status_code == 409
    body = response.content.decode()
    assert "Nothing was overwritten." in body
    assert str(duty_officer) in body and "0700 99 88 77" in body
    [change] = response.context["stale_changes"]
    assert (change.field, change.new, change.by) == ("phone", "0700 99 88 77", str(duty_officer))
    saved = Victim.objects.get(pk=victim.pk)
    assert (saved.phone, saved.residence_address, saved.version) == ("0700 99 88 77", "", 2)


def test_an_invalid_edit_of_a_person_changes_nothing(client_for, owner, victim):
    response = client_for(owner).post(
        reverse("cases:victim_edit", args=[victim.pk]), edit_data(victim, date_of_birth="2030-01-01")
    )
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors
    assert Victim.objects.get(pk=victim.pk).version == 1


def test_a_reader_without_change_rights_cannot_open_the_edit_form(client_for, owner, outsider, victim):
    services.case_grant_access(case=victim.case, grantee=outsider, actor=owner)
    client = client_for(outsider)
    assert client.get(reverse("cases:victim_detail", args=[victim.pk])).status_code == 200
    assert client.get(reverse("cases:victim_edit", args=[victim.pk])).status_code == 404
    assert client.post(reverse("cases:victim_edit", args=[victim.pk]), edit_data(victim, phone="1")).status_code == 404
    assert Victim.objects.get(pk=victim.pk).version == 1


# ---------------------------------------------------------------------------
# Legal representatives
# ---------------------------------------------------------------------------
@pytest.fixture
def child(case, owner):
    return _add_victim(case, owner, first_name="Нурай", date_of_birth=_born_years_before(INCIDENT_DATE, 15))


def test_a_legal_representative_is_recorded(client_for, english, owner, child):
    response = client_for(owner).post(
        reverse("cases:representative_add", args=[child.pk]),
        {"full_name": "Асанова Гүлнара", "relation": "mother", "phone": "0555 00 11 22"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("cases:victim_detail", args=[child.pk]), 302)]
    representative = LegalRepresentative.objects.get(victim=child)
    assert (representative.relation, representative.may_act) == ("mother", True)
    assert [(m.level, m.message) for m in _messages(response)] == [
        (message_levels.SUCCESS, "The legal representative was recorded.")
    ]
    assert "Асанова Гүлнара" in response.content.decode()


def test_a_representative_who_is_a_suspect_brings_a_warning_about_the_child_protection_body(
    client_for, english, owner, child
):
    response = client_for(owner).post(
        reverse("cases:representative_add", args=[child.pk]),
        {"full_name": "Асанов Бакыт", "relation": "father", "is_suspect": "on"},
        follow=True,
    )
    assert LegalRepresentative.objects.get(victim=child).may_act is False
    [message] = _messages(response)
    assert message.level == message_levels.WARNING
    assert message.message == (
        "The representative is a suspect: the child-protection body must act as the legal representative."
    )
    assert "badge-alert" in response.content.decode()


def test_an_invalid_representative_is_refused(client_for, owner, child):
    response = client_for(owner).post(
        reverse("cases:representative_add", args=[child.pk]), {"full_name": "", "relation": "uncle"}
    )
    assert response.status_code == 400
    assert set(response.context["representative_form"].errors) == {"full_name", "relation"}
    assert not LegalRepresentative.objects.exists()


def test_adding_a_representative_answers_only_post(client_for, owner, child):
    assert client_for(owner).get(reverse("cases:representative_add", args=[child.pk])).status_code == 405


# ---------------------------------------------------------------------------
# Roles that never see personal data
# ---------------------------------------------------------------------------
def test_the_analyst_gets_404_on_every_victim_page(client_for, analyst, victim):
    client = client_for(analyst)
    assert client.get(reverse("cases:victim_detail", args=[victim.pk])).status_code == 404
    assert client.get(reverse("cases:victim_edit", args=[victim.pk])).status_code == 404
    assert client.get(reverse("cases:victim_create", args=[victim.case.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exclude(action="denied").exists()  # no read; each refusal is logged
    assert PersonalDataAccess.objects.filter(action="denied").count() == 3


def test_an_analyst_granted_a_case_still_sees_no_personal_data(client_for, analyst, owner, victim):
    # given the analyst was granted the case (e.g. to check statistics)
    Case.objects.filter(pk=victim.case.pk).update(summary="Кыз Москвага алынып кеткен.")
    services.case_grant_access(case=victim.case, grantee=analyst, actor=owner, can_change=True)
    client = client_for(analyst)

    # then the case page hides the circumstances and the links to the person
    body = client.get(reverse("cases:detail", args=[victim.case.pk])).content.decode()
    assert "Москвага" not in body
    assert reverse("cases:victim_detail", args=[victim.pk]) not in body
    # and every person page stays closed
    assert client.get(reverse("cases:victim_detail", args=[victim.pk])).status_code == 404
    assert client.get(reverse("cases:victim_edit", args=[victim.pk])).status_code == 404
    assert (
        client.post(reverse("cases:victim_duplicates", args=[victim.case.pk]), {"last_name": "Ас"}).status_code == 404
    )
    assert not PersonalDataAccess.objects.exclude(action="denied").exists()  # no read; each refusal is logged
    assert PersonalDataAccess.objects.filter(action="denied").count() == 3


def test_possible_matches_say_why_they_matched_without_showing_the_date_of_birth(client_for, owner, case):
    services.victim_create(
        case=case,
        actor=owner,
        data={
            "last_name": "Асанова",
            "first_name": "Айжан",
            "date_of_birth": date(2001, 5, 4),
            "phone": "0555 12 34 56",
        },
    )
    client = client_for(owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(
        reverse("cases:victim_duplicates", args=[case.pk]),
        {"last_name": "Asanova", "first_name": "Aijan", "phone": "+996 555 123 456", "citizenship": "KG"},
    )
    html = response.content.decode()
    assert "same phone" in html
    assert "similar name" in html
    assert "same date of birth" not in html
    assert "04.05.2001" not in html


def test_a_child_whose_only_representative_is_a_suspect_is_flagged_until_the_child_protection_body_is_recorded(
    client_for, owner, case
):
    child = services.victim_create(
        case=case, actor=owner, data={"first_name": "Айпери", "approximate_age": 15, "citizenship": "KG"}
    )
    services.legal_representative_add(
        victim=child, actor=owner, data={"full_name": "Ата", "relation": "father", "is_suspect": True}
    )
    client = client_for(owner)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("cases:victim_detail", args=[child.pk])).content.decode()
    assert "The child-protection body must be appointed" in page

    services.legal_representative_add(
        victim=child, actor=owner, data={"full_name": "Аламүдүн району, БКОБ", "relation": "child_protection_body"}
    )
    page = client.get(reverse("cases:victim_detail", args=[child.pk])).content.decode()
    assert "The child-protection body must be appointed" not in page
