"""Invariants of the case models: dates a person enters lie between 1900 and today, whatever path stores them."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import services
from cases.models import Case, OfficerStep, Victim

pytestmark = pytest.mark.django_db

BISHKEK = ZoneInfo("Asia/Bishkek")
YEAR_1 = datetime(1, 1, 1, tzinfo=BISHKEK)
LAST_MINUTE_OF_1899 = datetime(1899, 12, 31, 23, 59, tzinfo=BISHKEK)
YEAR_9999 = datetime(9999, 12, 31, 23, 59, tzinfo=BISHKEK)
IMPLAUSIBLE_MOMENTS = [
    pytest.param(YEAR_1, id="year_1"),
    pytest.param(LAST_MINUTE_OF_1899, id="1899"),
    pytest.param(YEAR_9999, id="year_9999"),
]
IMPLAUSIBLE_DATES = [
    pytest.param(date(1, 1, 1), id="year_1"),
    pytest.param(date(1899, 12, 31), id="1899"),
    pytest.param(date(9999, 12, 31), id="year_9999"),
]


def _case_data(**changes) -> dict:
    return {"source": Case.Source.CITIZEN, "received_at": timezone.now() - timedelta(hours=1), **changes}


def _error_fields(caught) -> set[str]:
    return set(caught.value.message_dict)


# -- through the services ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["received_at", "incident_at"])
@pytest.mark.parametrize("moment", IMPLAUSIBLE_MOMENTS)
def test_opening_a_case_with_an_implausible_time_is_refused_and_saves_nothing(owner, field, moment):
    with pytest.raises(ValidationError) as caught:
        services.case_create(actor=owner, data=_case_data(**{field: moment}))

    assert _error_fields(caught) == {field}
    assert not Case.objects.exists()


@pytest.mark.parametrize("value", IMPLAUSIBLE_DATES)
def test_a_kbr_registration_date_outside_1900_to_today_is_refused(owner, value):
    case = services.case_create(actor=owner, data=_case_data())

    with pytest.raises(ValidationError) as caught:
        services.case_update(
            case=case, actor=owner, data={"kbr_number": "12-345", "kbr_registered_at": value}, version=case.version
        )

    assert _error_fields(caught) == {"kbr_registered_at"}
    case.refresh_from_db()
    assert (case.kbr_number, case.kbr_registered_at, case.version) == ("", None, 1)


@pytest.mark.parametrize("value", IMPLAUSIBLE_DATES)
def test_a_date_of_birth_outside_1900_to_today_is_refused(owner, case, value):
    with pytest.raises(ValidationError) as caught:
        services.victim_create(case=case, actor=owner, data={"last_name": "Асанова", "date_of_birth": value})

    assert _error_fields(caught) == {"date_of_birth"}
    assert not Victim.objects.exists()


def test_a_plausible_case_is_still_opened(owner):
    case = services.case_create(
        actor=owner,
        data=_case_data(received_at=datetime(1900, 1, 1, tzinfo=BISHKEK), incident_at=timezone.now()),
    )

    assert Case.objects.get() == case


@pytest.mark.parametrize("moment", IMPLAUSIBLE_MOMENTS)
def test_an_officers_step_with_an_implausible_time_is_refused(owner, case, moment):
    step = OfficerStep(case=case, code=OfficerStep.Code.INTERVIEW, done_by=owner, done_at=moment)

    with pytest.raises(ValidationError) as caught:
        step.full_clean()

    assert _error_fields(caught) == {"done_at"}


@pytest.mark.parametrize("character", ["\x00", "\u202e", "\u2067"], ids=["NUL", "RLO", "RLI"])
def test_a_hidden_character_in_a_step_note_is_refused_by_the_service(owner, case, character):
    with pytest.raises(ValidationError) as caught:
        services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.INTERVIEW, note=f"x{character}y")

    assert _error_fields(caught) == {"note"}
    assert not OfficerStep.objects.exists()


def test_a_step_note_longer_than_the_field_is_refused_not_cut(owner, case):
    with pytest.raises(ValidationError) as caught:
        services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.INTERVIEW, note="x" * 301)

    assert _error_fields(caught) == {"note"}


# -- around the services: the database keeps the lower bound ----------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Case, "received_at", datetime(1, 1, 1, tzinfo=UTC)),
        (Case, "incident_at", datetime(1899, 12, 30, tzinfo=UTC)),
        (Case, "kbr_registered_at", date(1, 1, 1)),
        (Victim, "date_of_birth", date(1899, 12, 31)),
        (OfficerStep, "done_at", datetime(1, 1, 1, tzinfo=UTC)),
    ],
)
def test_the_database_refuses_a_date_before_1900_written_around_the_services(owner, case, model, field, value):
    services.victim_create(case=case, actor=owner, data={"last_name": "Асанова"})
    services.officer_step_record(case=case, actor=owner, code=OfficerStep.Code.INTERVIEW)
    if field == "kbr_registered_at":
        Case.objects.filter(pk=case.pk).update(kbr_number="12-345", kbr_registered_at=date(2026, 1, 5))

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.update(**{field: value})
