"""Plausible input, checked once for every path: dates from 1900 to today in Bishkek, text without hidden characters."""

import importlib
import inspect
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import override

from accounts.forms import PlausibleInputMixin
from accounts.validators import (
    EARLIEST_MOMENT_ANYWHERE,
    HIDDEN_CHARACTERS,
    strip_hidden_characters,
    validate_no_hidden_characters,
    validate_not_before_1900,
    validate_not_in_the_future,
)

BISHKEK = ZoneInfo("Asia/Bishkek")
# 20:00 UTC on 1 March is already 02:00 on 2 March in Bishkek: "today" must be the 2nd, "tomorrow" the 3rd.
LATE_EVENING_UTC = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)
PROJECT_APPS = ("accounts", "cases", "screening", "referrals", "reports", "trafficking_cms")


@pytest.fixture
def late_evening_utc(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: LATE_EVENING_UTC)
    return LATE_EVENING_UTC


def _refused(validator, value) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.messages


# -- dates -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [date(1900, 1, 1), date(1985, 7, 31), date(2026, 3, 2), date(2026, 3, 3)])
def test_dates_from_1900_to_tomorrow_in_bishkek_are_plausible(late_evening_utc, value):
    validate_not_before_1900(value)
    validate_not_in_the_future(value)


@pytest.mark.parametrize("value", [date(1, 1, 1), date(1899, 12, 31)], ids=["year_1", "last_day_of_1899"])
def test_a_date_before_1900_is_refused(value):
    assert _refused(validate_not_before_1900, value)


@pytest.mark.parametrize("value", [date(2026, 3, 4), date(9999, 12, 31)], ids=["after_tomorrow", "year_9999"])
def test_a_date_after_tomorrow_in_bishkek_is_refused(late_evening_utc, value):
    assert _refused(validate_not_in_the_future, value)


@pytest.mark.parametrize(
    "value",
    [
        datetime(1900, 1, 1, 0, 0, tzinfo=BISHKEK),
        datetime(1999, 12, 31, 23, 59, tzinfo=UTC),
        LATE_EVENING_UTC,
        LATE_EVENING_UTC + timedelta(minutes=5),
    ],
    ids=["midnight_1900_in_bishkek", "last_minute_of_1999", "now", "five_minutes_ahead"],
)
def test_times_from_1900_in_bishkek_to_five_minutes_ahead_are_plausible(late_evening_utc, value):
    validate_not_before_1900(value)
    validate_not_in_the_future(value)


@pytest.mark.parametrize(
    "value",
    [datetime(1, 1, 1, tzinfo=BISHKEK), datetime(1899, 12, 31, 23, 59, tzinfo=BISHKEK)],
    ids=["year_1", "last_minute_of_1899_in_bishkek"],
)
def test_a_time_before_1900_in_bishkek_is_refused(value):
    assert _refused(validate_not_before_1900, value)


@pytest.mark.parametrize(
    "value",
    [LATE_EVENING_UTC + timedelta(minutes=6), datetime(9999, 12, 31, 23, 59, tzinfo=BISHKEK)],
    ids=["six_minutes_ahead", "year_9999"],
)
def test_a_time_more_than_five_minutes_ahead_is_refused(late_evening_utc, value):
    assert _refused(validate_not_in_the_future, value)


def test_the_database_bound_never_refuses_a_time_the_validators_accept():
    assert datetime(1900, 1, 1, tzinfo=BISHKEK) >= EARLIEST_MOMENT_ANYWHERE
    assert datetime(1900, 1, 1, tzinfo=ZoneInfo("Pacific/Kiritimati")) >= EARLIEST_MOMENT_ANYWHERE


def test_the_date_messages_are_in_the_users_language():
    with override("en"):
        (english,) = _refused(validate_not_before_1900, date(1, 1, 1))
        (english_future,) = _refused(validate_not_in_the_future, date(9999, 1, 1))
    with override("ky"):
        (kyrgyz,) = _refused(validate_not_before_1900, date(1, 1, 1))
    with override("ru"):
        (russian_future,) = _refused(validate_not_in_the_future, date(9999, 1, 1))
    assert "01.01.1900" in english
    assert "01.01.1900" in kyrgyz
    assert kyrgyz != english
    assert russian_future != english_future


# -- text ------------------------------------------------------------------------------------------------------------

HIDDEN = [pytest.param(character, id=f"U+{ord(character):04X}") for character in HIDDEN_CHARACTERS]


def test_the_hidden_characters_are_nul_and_the_direction_overrides_and_isolates():
    expected = {0x00, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    assert {ord(character) for character in HIDDEN_CHARACTERS} == expected


@pytest.mark.parametrize("character", HIDDEN)
def test_text_with_a_hidden_character_is_refused(character):
    with override("en"):
        (message,) = _refused(validate_no_hidden_characters, f"Асанова{character}Айжан")
    assert "hidden" in message


@pytest.mark.parametrize(
    "text",
    ["Асанова Айжан", "Иванова Мария", "Ivanova Mariya", "Өмүрбек уулу Нурбек", "line one\nline two\ttabbed", ""],
)
def test_ordinary_text_in_every_language_of_the_country_is_accepted(text):
    validate_no_hidden_characters(text)


def test_stripping_removes_the_hidden_characters_and_nothing_else():
    assert strip_hidden_characters("scan\u202efdp.exe\x00 Айжан\u2066") == "scanfdp.exe Айжан"


def _project_text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                yield model, field


# Text the program writes itself (keys, codes, hashes), or that third-party code owns and checks.
WRITTEN_BY_THE_PROGRAM = {
    "accounts.User.password": "a hash",
    "accounts.ApiKey.id": "generated by djangorestframework-api-key",
    "accounts.ApiKey.prefix": "generated by djangorestframework-api-key",
    "accounts.ApiKey.hashed_key": "generated by djangorestframework-api-key",
    "accounts.ApiKey.name": "typed by administrators in the admin only, never shown outside it",
    "accounts.Unit.path": "materialised path of primary keys",
    "accounts.Notification.kind": "a code",
    "accounts.Notification.link": "a URL the program builds",
    "accounts.OutboxMessage.kind": "a code",
    "accounts.OutboxMessage.last_error": "an exception class name",
    "cases.Case.number": "generated case number",
    "cases.Victim.name_key": "derived from the refused-or-clean names",
    "cases.Victim.name_phonetic": "derived from the refused-or-clean names",
    "cases.Victim.phone_key": "a keyed hash of the digits of the phone",
    "cases.Victim.document_key": "a keyed hash of the letters and digits of the document number",
    "cases.Attachment.content_type": "detected from the content",
    "cases.Attachment.sha256": "a digest",
    "referrals.RightsSheet.sha256": "a digest",
    "reports.Rapport.qualification_verdict": "the qualification engine's verdict code",
    "reports.RapportPdf.content_hash": "a digest",
    "reports.RapportPdf.sha256": "a digest",
    "reports.RapportPdf.verification_code": "the first characters of a digest",
    "cases.PersonalDataAccess.record_type": "a model name",
    "cases.PersonalDataAccess.record_id": "a primary key",
    "cases.PersonalDataAccess.user_agent": "a request header: hidden characters are stripped, not refused",
    "cases.PersonalDataAccess.query_kinds": "codes of the keys a duplicate check searched",
    "cases.PersonalDataAccess.name_hash": "a keyed hash",
    "cases.PersonalDataAccess.phone_hash": "a keyed hash",
    "cases.PersonalDataAccess.document_hash": "a keyed hash",
    "screening.Obligation.code": "a rule's code",
    "screening.Obligation.deadline_rule": "a rule's code",
    "screening.Obligation.addressee": "a role code",
    "referrals.Referral.rule": "a rule's code",
    "referrals.WebhookEndpoint.secret": "generated",
    "referrals.WebhookEndpoint.previous_secret": "generated",
    "referrals.WebhookAttempt.error": "an exception class name or an HTTP status",
}


@pytest.mark.parametrize("character", ["\x00", "\u202e"], ids=["NUL", "RLO"])
def test_every_text_field_of_the_projects_models_refuses_hidden_characters(character):
    letting_through = []
    for model, field in _project_text_fields():
        key = f"{model._meta.label}.{field.name}"
        if key in WRITTEN_BY_THE_PROGRAM:
            continue
        try:
            field.run_validators(f"a{character}b")
        except ValidationError:
            continue
        letting_through.append(key)
    assert letting_through == []


def test_the_list_of_program_written_text_fields_names_only_existing_fields():
    existing = {f"{model._meta.label}.{field.name}" for model, field in _project_text_fields()}
    assert set(WRITTEN_BY_THE_PROGRAM) <= existing


# -- forms -----------------------------------------------------------------------------------------------------------


def _project_form_classes() -> list[type]:
    found = []
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_the_projects_forms_are_found():
    names = {form_class.__name__ for form_class in _project_form_classes()}
    assert {"CaseForm", "VictimForm", "SuspectForm", "ScreeningForm", "AttachmentForm"} <= names


def test_every_form_of_the_project_refuses_hidden_characters_and_dates_before_1900():
    assert [c.__name__ for c in _project_form_classes() if not issubclass(c, PlausibleInputMixin)] == []


class _Example(PlausibleInputMixin, forms.Form):
    name = forms.CharField(required=False)
    born = forms.DateField(required=False)
    seen_at = forms.DateTimeField(required=False)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "a\u202eb"),
        ("name", "a\u2069b"),
        ("born", "0001-01-01"),
        ("born", "1899-12-31"),
        ("seen_at", "0001-01-01T00:00"),
    ],
)
def test_the_form_mixin_refuses_the_field_with_a_message(field, value):
    form = _Example(data={field: value})

    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_form_mixin_accepts_plausible_values():
    form = _Example(data={"name": "Асанова", "born": "1900-01-01", "seen_at": "2020-05-05T10:00"})

    assert form.is_valid(), form.errors


def test_the_form_mixin_does_not_change_the_fields_of_another_form_instance():
    _Example()
    assert validate_no_hidden_characters not in _Example.base_fields["name"].validators


class _WhenForm(PlausibleInputMixin, forms.Form):
    at = forms.DateTimeField()


@pytest.mark.parametrize("offset", ["+16:02", "-23:59", "+06:00", "Z"])
def test_a_time_with_any_iso_offset_is_kept_as_the_same_instant_in_local_time(offset):
    """ISO 8601 allows offsets up to ±24 h, PostgreSQL only ±15:59: a form hands on the same instant in Bishkek time."""
    form = _WhenForm(data={"at": f"2026-11-30T10:00:00{offset}"})

    assert form.is_valid(), form.errors
    value = form.cleaned_data["at"]
    assert value.utcoffset() == timedelta(hours=6)
    assert value == datetime.fromisoformat(f"2026-11-30T10:00:00{offset.replace('Z', '+00:00')}")


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+16:00", "9999-12-31T23:59:59-23:00"])
def test_a_time_that_leaves_the_calendar_in_local_time_is_a_form_error(value):
    form = _WhenForm(data={"at": value})

    assert not form.is_valid() and "at" in form.errors
