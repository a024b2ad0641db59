"""The access log on PostgreSQL: append-only whatever the client (UPDATE, DELETE, TRUNCATE in raw SQL), and one row
per read when many readers open the same case at the same moment."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import PersonalDataAccess
from tests.factories import CaseFactory
from tests.screening.test_races_postgres import run_at_once

READERS = 8


@pytest.fixture
def read_once(owner):
    case = CaseFactory(created_by=owner, summary="Кыз Москвага алынып кеткен.")
    victim = services.victim_create(
        case=case,
        actor=owner,
        data={"last_name": "Асанова", "first_name": "Айжан", "sex": "female", "citizenship": "KG"},
    )
    client = Client()
    client.force_login(owner)
    assert client.get(reverse("cases:victim_detail", args=[victim.pk])).status_code == 200
    return PersonalDataAccess.objects.get()


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE cases_personaldataaccess SET purpose = 'export'", id="update"),
        pytest.param("DELETE FROM cases_personaldataaccess", id="delete"),
        pytest.param("TRUNCATE cases_personaldataaccess", id="truncate"),
        pytest.param("TRUNCATE cases_personaldataaccess CASCADE", id="truncate_cascade"),
        pytest.param("TRUNCATE cases_case, cases_personaldataaccess CASCADE", id="truncate_with_the_cases"),
    ],
)
def test_postgresql_refuses_to_change_delete_or_empty_the_access_log_in_raw_sql(read_once, statement):
    with connection.cursor() as cursor:  # the test's transaction checks its foreign keys now, as a commit would
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert PersonalDataAccess.objects.get().purpose == read_once.purpose == "case_work"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda row: row.save(), id="save"),
        pytest.param(lambda row: row.delete(), id="delete"),
        pytest.param(lambda row: PersonalDataAccess.objects.filter(pk=row.pk).update(purpose="export"), id="update"),
        pytest.param(lambda row: PersonalDataAccess.objects.filter(pk=row.pk).delete(), id="queryset_delete"),
        pytest.param(lambda row: PersonalDataAccess.objects.bulk_update([row], ["purpose"]), id="bulk_update"),
    ],
)
def test_the_orm_refuses_to_change_or_delete_a_row(read_once, change):
    read_once.purpose = "export"
    with pytest.raises(PermissionError, match="append-only"), transaction.atomic():
        change(read_once)

    assert PersonalDataAccess.objects.get().purpose == "case_work"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(3))
def test_many_readers_opening_the_same_person_at_once_write_one_row_each_none_lost(owner, attempt):
    case = CaseFactory(created_by=owner)
    victim = services.victim_create(
        case=case,
        actor=owner,
        data={"last_name": "Асанова", "first_name": "Айжан", "sex": "female", "citizenship": "KG"},
    )
    url = reverse("cases:victim_detail", args=[victim.pk])
    statuses: list[int] = []

    def read(number: int):
        def call() -> None:
            client = Client(HTTP_USER_AGENT=f"reader {number}", REMOTE_ADDR=f"192.0.2.{number + 1}")
            client.force_login(owner)
            statuses.append(client.get(url).status_code)

        return call

    run_at_once(*(read(number) for number in range(READERS)))

    assert statuses == [200] * READERS
    rows = PersonalDataAccess.objects.filter(case=case, record_id=str(victim.pk))
    assert rows.count() == READERS
    assert sorted(rows.values_list("user_agent", flat=True)) == sorted(f"reader {n}" for n in range(READERS))
    assert set(rows.values_list("action", "purpose", "user_id")) == {("view", "case_work", owner.pk)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_still_empties_the_access_log_between_tests(owner):
    # The flush after this test TRUNCATEs the table: the trigger lets the test runner through in a test database.
    services.personal_data_access_record(
        user=owner, case=CaseFactory(created_by=owner), record=owner, action="view", ip_address=None
    )
    assert PersonalDataAccess.objects.count() == 1
