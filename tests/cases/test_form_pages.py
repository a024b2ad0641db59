"""The case forms as officers meet them: required fields marked, readable empty choices, labels beside their
checkboxes, sensible defaults for whoever opens a case, and countries named instead of coded."""

import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from cases import services
from cases.models import Case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DASHES = "---------"


@pytest.fixture
def browse(client):
    """Log a user in, in English, and return the client."""

    def login(user):
        client.force_login(user)
        client.cookies["cms_language"] = "en"
        return client

    return login


@pytest.fixture
def hotline(district):
    return UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])


@pytest.fixture
def opened(owner):
    case = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN, "incident_place": "Бишкек"})
    child = services.victim_create(
        case=case,
        actor=owner,
        data={"last_name": "Сыдыкова", "first_name": "Айпери", "date_of_birth": date(2012, 4, 2), "citizenship": "KZ"},
    )
    return {"case": case, "child": child}


def _form_pages(opened) -> dict[str, str]:
    case, child = opened["case"], opened["child"]
    return {
        "new case": reverse("cases:create"),
        "case edit": reverse("cases:edit", args=[case.pk]),
        "new person": reverse("cases:victim_create", args=[case.pk]),
        "person edit": reverse("cases:victim_edit", args=[child.pk]),
        "person page (legal representative form)": reverse("cases:victim_detail", args=[child.pk]),
        "new suspect": reverse("cases:suspect_add", args=[case.pk]),
        "new site": reverse("cases:site_add", args=[case.pk]),
        "case page (attachment form)": reverse("cases:detail", args=[case.pk]),
        "case list (filters)": reverse("cases:list"),
    }


def _tag(body: str, pattern: str) -> str:
    match = re.search(pattern, body, re.S)
    assert match, pattern
    return match.group(0)


def _label_of(body: str, field_id: str) -> str:
    return _tag(body, rf'<label[^>]*for="{field_id}"[^>]*>.*?</label>')


# ---------------------------------------------------------------------------
# Required fields
# ---------------------------------------------------------------------------
def test_required_fields_are_marked_for_the_eye_and_for_screen_readers(browse, owner):
    body = browse(owner).get(reverse("cases:create")).content.decode()

    assert re.search(r'<select name="source"[^>]*\brequired\b', body)  # announced as required
    assert re.search(r'<input type="datetime-local" name="received_at"[^>]*\brequired\b', body)
    assert 'class="required-mark" aria-hidden="true">*</span>' in _label_of(body, "id_source")
    assert "required-mark" in _label_of(body, "id_received_at")
    assert "required-mark" not in _label_of(body, "id_incident_place")  # optional: no mark
    assert re.search(r'class="required-note"[^>]*>.*Fields marked .*\* are required', body, re.S)


@pytest.mark.parametrize("page", ["new person", "new suspect", "new site", "person page (legal representative form)"])
def test_every_form_with_a_required_field_explains_the_mark(browse, owner, opened, page):
    body = browse(owner).get(_form_pages(opened)[page]).content.decode()

    assert "required-mark" in body
    assert "required-note" in body


# ---------------------------------------------------------------------------
# Empty choices
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "page",
    [
        "new case",
        "case edit",
        "new person",
        "person edit",
        "person page (legal representative form)",
        "new suspect",
        "new site",
        "case page (attachment form)",
        "case list (filters)",
    ],
)
def test_no_select_offers_a_row_of_dashes(browse, owner, opened, page):
    response = browse(owner).get(_form_pages(opened)[page])

    assert response.status_code == 200
    assert "<select" in response.content.decode()
    assert DASHES not in response.content.decode()


def test_the_empty_choices_say_what_they_mean(browse, owner):
    body = browse(owner).get(reverse("cases:create")).content.decode()

    source = _tag(body, r'<select name="source".*?</select>')
    officer = _tag(body, r'<select name="assigned_officer".*?</select>')
    assert re.search(r'<option value=""[^>]*>— choose —</option>', source)
    assert re.search(r'<option value=""[^>]*>— nobody yet —</option>', officer)


# ---------------------------------------------------------------------------
# Checkboxes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("page", "field_id"),
    [
        ("new case", "id_country_origin"),
        ("new person", "id_appears_minor"),
        ("person page (legal representative form)", "id_is_suspect"),
        ("case list (filters)", "id_mine"),
        ("case list (filters)", "id_overdue"),
    ],
)
def test_a_checkbox_has_its_label_right_after_it_on_the_same_line(browse, owner, opened, page, field_id):
    body = browse(owner).get(_form_pages(opened)[page]).content.decode()

    assert re.search(rf'<input type="checkbox"[^>]*id="{field_id}"[^>]*>\s*<label[^>]*for="{field_id}"', body)


# ---------------------------------------------------------------------------
# Defaults for whoever opens a case
# ---------------------------------------------------------------------------
def _selected(body: str, name: str) -> list[str]:
    """The values chosen in a select."""
    select = _tag(body, rf'<select name="{name}".*?</select>')
    chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)
    return [value for value in chosen if value]  # the empty choice selected: nothing chosen


def test_the_officer_opening_a_case_is_its_assigned_officer_unless_changed(browse, owner, colleague):
    body = browse(owner).get(reverse("cases:create")).content.decode()

    assert _selected(body, "assigned_officer") == [str(owner.pk)]
    assert _selected(body, "source") == []  # an officer's case comes from anywhere: the officer chooses


def test_the_hotline_operator_opens_a_case_from_the_1899_line_and_assigns_nobody_by_default(browse, hotline, owner):
    body = browse(hotline).get(reverse("cases:create")).content.decode()

    assert _selected(body, "source") == [Case.Source.HOTLINE_1899]
    assert _selected(body, "assigned_officer") == []  # an operator is not an officer who can be assigned
    assert str(owner.pk) in _tag(body, r'<select name="assigned_officer".*?</select>')


def test_the_defaults_are_only_defaults_what_is_sent_is_saved(browse, owner, colleague):
    from tests.cases.test_views_cases import new_case_data

    response = browse(owner).post(reverse("cases:create"), new_case_data(assigned_officer=colleague.pk))

    assert response.status_code == 302
    assert Case.objects.get().assigned_officer == colleague


def test_the_edit_form_keeps_the_stored_officer_and_source(browse, owner, colleague, opened):
    case = opened["case"]
    services.case_update(case=case, actor=owner, data={"assigned_officer": colleague}, version=case.version)

    body = browse(owner).get(reverse("cases:edit", args=[case.pk])).content.decode()

    assert _selected(body, "assigned_officer") == [str(colleague.pk)]
    assert _selected(body, "source") == [Case.Source.CITIZEN]


# ---------------------------------------------------------------------------
# Countries by name
# ---------------------------------------------------------------------------
def test_the_person_page_names_the_country_of_citizenship(browse, owner, opened):
    body = browse(owner).get(reverse("cases:victim_detail", args=[opened["child"].pk])).content.decode()

    assert "Kazakhstan" in body
    assert not re.search(r">\s*KZ\s*<|foreign KZ", body)


def test_the_case_page_names_the_country_of_a_foreign_person(browse, owner, opened):
    body = browse(owner).get(reverse("cases:detail", args=[opened["case"].pk])).content.decode()

    assert "Kazakhstan" in body
    assert "foreign KZ" not in body


def test_the_country_is_named_in_the_readers_language(client, owner, opened):
    client.force_login(owner)
    client.cookies["cms_language"] = "ru"

    body = client.get(reverse("cases:victim_detail", args=[opened["child"].pk])).content.decode()

    assert "Казахстан" in body


def test_a_role_without_personal_data_sees_the_country_by_name_too(browse, analyst, owner, opened):
    services.case_grant_access(case=opened["case"], grantee=analyst, actor=owner)

    body = browse(analyst).get(reverse("cases:detail", args=[opened["case"].pk])).content.decode()

    assert "Kazakhstan" in body
    assert "Сыдыкова" not in body


def test_a_code_missing_from_the_country_list_is_still_shown(browse, owner, opened):
    victim = opened["child"]
    type(victim).objects.filter(pk=victim.pk).update(citizenship="QZ")  # an import, before the list knew it

    body = browse(owner).get(reverse("cases:victim_detail", args=[victim.pk])).content.decode()

    assert "QZ" in body


def test_every_label_of_the_person_form_starts_with_a_capital(browse, owner, opened):
    body = browse(owner).get(reverse("cases:victim_create", args=[opened["case"].pk])).content.decode()

    labels = re.findall(r"<label[^>]*>\s*([^<\s])", body)
    assert labels and all(first.upper() == first for first in labels), labels
