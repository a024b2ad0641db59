"""A case stored with a year-1 time before the checks existed: PostgreSQL keeps it as a date "BC" in UTC.

Such a row broke the case list of every unit above it and could be neither opened nor fixed. The pages must still
render and the officer must be able to correct it. Skipped on SQLite, which stores no such value.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BISHKEK = ZoneInfo("Asia/Bishkek")
YEAR_1_IN_BISHKEK = datetime(1, 1, 1, tzinfo=BISHKEK)  # 0001-12-31 19:01:36 BC in UTC


def _store_as_an_older_version_did(case: Case, field: str, value) -> None:
    """Write a value with no validation and no constraint, into the case and its history, as before the checks."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE while foreign-key checks are pending
        for table in ("cases_case", "cases_historicalcase"):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS case_dates_from_1900")
            cursor.execute(f"UPDATE {table} SET {field} = %s WHERE id = %s", [value, case.pk])  # noqa: S608
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def stored_case(owner):
    received = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    return services.case_create(
        actor=owner, data={"source": Case.Source.CITIZEN, "received_at": received, "incident_place": "Бишкек"}
    )


def test_the_reproduction_stores_a_date_before_year_1_in_utc(stored_case):
    _store_as_an_older_version_did(stored_case, "received_at", YEAR_1_IN_BISHKEK)

    with connection.cursor() as cursor:
        cursor.execute("SELECT received_at::text FROM cases_case WHERE id = %s", [stored_case.pk])
        (stored,) = cursor.fetchone()
    assert stored.endswith(" BC")


@pytest.mark.parametrize("field", ["received_at", "incident_at"])
@pytest.mark.parametrize("user_fixture", ["owner", "supervisor", "oblast_head"])
def test_a_case_stored_in_year_1_still_lists_and_opens_for_every_user_of_the_unit_chain(
    request, client_for, stored_case, field, user_fixture
):
    _store_as_an_older_version_did(stored_case, field, YEAR_1_IN_BISHKEK)
    client = client_for(request.getfixturevalue(user_fixture))

    listed = client.get(reverse("cases:list"))
    opened = client.get(reverse("cases:detail", args=[stored_case.pk]))

    assert listed.status_code == 200
    assert stored_case.number in listed.content.decode()
    assert opened.status_code == 200
    assert "0001" in opened.content.decode()  # shown as it is, for the officer to correct


@pytest.mark.parametrize("value", ["infinity", "10000-01-01 00:00+00"])
def test_a_case_stored_past_year_9999_still_lists_and_opens(client_for, owner, stored_case, value):
    _store_as_an_older_version_did(stored_case, "incident_at", value)
    client = client_for(owner)

    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("cases:detail", args=[stored_case.pk])).status_code == 200


def test_the_officer_corrects_a_case_stored_in_year_1(client_for, owner, stored_case):
    _store_as_an_older_version_did(stored_case, "received_at", YEAR_1_IN_BISHKEK)
    client = client_for(owner)
    form = client.get(reverse("cases:edit", args=[stored_case.pk]))
    assert form.status_code == 200
    data = {name: value for name, value in form.context["form"].initial.items() if value is not None}
    corrected = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=3)

    untouched = client.post(reverse("cases:edit", args=[stored_case.pk]), {**data, "received_at": "0001-01-01T00:00"})
    saved = client.post(
        reverse("cases:edit", args=[stored_case.pk]), {**data, "received_at": corrected.strftime("%Y-%m-%dT%H:%M")}
    )

    assert untouched.status_code == 200
    assert "received_at" in untouched.context["form"].errors
    assert saved.status_code == 302
    stored_case.refresh_from_db()
    assert stored_case.received_at == corrected
    assert client.get(reverse("cases:list")).status_code == 200


def test_the_database_refuses_a_year_1_time_from_bishkek(stored_case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=stored_case.pk).update(received_at=YEAR_1_IN_BISHKEK)
