"""Case numbers: one per unit and year, race-free when officers open cases at the same moment.

The concurrency tests run on PostgreSQL (row locks) with several threads, each with its own database connection, and
are transactional: every thread sees only committed rows, as two gunicorn workers would.
"""

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, close_old_connections, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutboxMessage, Unit
from accounts.roles import Role
from cases import services
from cases.models import Case
from tests.factories import CaseFactory, UnitFactory, UserFactory

THREADS = 8
YEAR = timezone.localdate().year
JOIN_SECONDS = 120.0  # bounds a hang only; a create takes milliseconds


def _run_at_once(work: Callable[[int], object], count: int = THREADS) -> tuple[list[object], list[str]]:
    """Run `work(i)` in `count` threads released together; return the results and the errors they raised."""
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=JOIN_SECONDS)
            result = work(index)
            with lock:
                results.append(result)
        except Exception as exc:
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()  # each thread has its own connection; leave none open for the flush

    threads = [threading.Thread(target=run, args=(i,), name=f"officer-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def _numbers(count: int, *, code: str = "ALAMUDUN", start: int = 1) -> list[str]:
    return [f"{code}-{YEAR}-{n:05d}" for n in range(start, start + count)]


# ---------------------------------------------------------------------------
# Officers opening cases at the same moment (PostgreSQL)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("existing", [0, 41], ids=["first-cases-of-the-year", "after-existing-cases"])
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_officers_opening_cases_in_one_unit_at_once_get_eight_distinct_numbers(existing):
    unit = UnitFactory(code="alamudun")
    officers = [UserFactory(unit=unit, roles=[Role.DUTY_OFFICER]) for _ in range(THREADS)]
    if existing:
        CaseFactory(created_by=officers[0], number=f"ALAMUDUN-{YEAR}-{existing:05d}")

    numbers, errors = _run_at_once(
        lambda i: services.case_create(actor=officers[i], data={"source": Case.Source.CITIZEN}).number
    )

    assert errors == []
    assert sorted(numbers) == _numbers(THREADS, start=existing + 1)
    assert Case.objects.filter(unit=unit).count() == THREADS + (1 if existing else 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_officers_of_two_units_opening_cases_at_once_each_get_their_units_sequence():
    alamudun, sokuluk = UnitFactory(code="alamudun"), UnitFactory(code="sokuluk")
    officers = [UserFactory(unit=alamudun if i % 2 else sokuluk, roles=[Role.DUTY_OFFICER]) for i in range(THREADS)]

    numbers, errors = _run_at_once(
        lambda i: services.case_create(actor=officers[i], data={"source": Case.Source.CITIZEN}).number
    )

    assert errors == []
    half = THREADS // 2
    assert sorted(numbers) == _numbers(half) + _numbers(half, code="SOKULUK")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_officers_posting_the_new_case_form_at_once_all_open_their_case():
    unit = UnitFactory(code="alamudun")
    officers = [UserFactory(unit=unit, roles=[Role.INSPECTOR]) for _ in range(THREADS)]
    clients = []
    for officer in officers:
        client = Client()
        client.force_login(officer)
        clients.append(client)
    received = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = {"source": Case.Source.CITIZEN, "received_at": received, "incident_place": "Бишкек"}

    def post(i: int) -> tuple[int, str]:
        close_old_connections()
        response = clients[i].post(reverse("cases:create"), form)
        return response.status_code, response.get("Location", "")

    responses, errors = _run_at_once(post)

    assert errors == []
    assert sorted(status for status, _ in responses) == [302] * THREADS
    cases = Case.objects.filter(unit=unit)
    assert sorted(cases.values_list("number", flat=True)) == _numbers(THREADS)
    assert {location for _, location in responses} == {reverse("cases:detail", args=[c.pk]) for c in cases}
    assert {c.created_by_id for c in cases} == {o.pk for o in officers}


# ---------------------------------------------------------------------------
# Counters and numbering rules
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_numbering_skips_a_number_that_is_already_taken(owner, district):
    # given a number of this year's sequence that was written by hand (an import, the admin)
    first = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN})
    CaseFactory(created_by=owner, unit=district, number=f"ALAMUDUN-{YEAR}-00002")

    second = services.case_create(actor=owner, data={"source": Case.Source.CITIZEN})

    assert (first.number, second.number) == (f"ALAMUDUN-{YEAR}-00001", f"ALAMUDUN-{YEAR}-00003")


@pytest.mark.django_db
def test_a_case_that_fails_to_save_does_not_use_up_a_number(owner, monkeypatch):
    real_save = Case.save

    def fail_once(self, *args, **kwargs):
        monkeypatch.setattr(Case, "save", real_save)
        raise IntegrityError("injected")

    monkeypatch.setattr(Case, "save", fail_once)
    with pytest.raises(IntegrityError):
        services.case_create(actor=owner, data={"source": Case.Source.CITIZEN})

    assert services.case_create(actor=owner, data={"source": Case.Source.CITIZEN}).number == f"ALAMUDUN-{YEAR}-00001"


# ---------------------------------------------------------------------------
# A database error while opening a case: a form error, never a 500
# ---------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("error", [IntegrityError, OperationalError, DatabaseError])
def test_a_database_error_on_opening_a_case_shows_a_form_error_and_saves_nothing(
    client, owner, colleague, monkeypatch, error
):
    def fail(self, *args, **kwargs):
        raise error("injected failure")

    monkeypatch.setattr(Case, "save", fail)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(owner)
    received = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "source": Case.Source.CITIZEN,
        "received_at": received,
        "incident_place": "Бишкек",
        "assigned_officer": colleague.pk,
    }

    response = client.post(reverse("cases:create"), data)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors == [
        "The case could not be saved because of a database error. Nothing was saved: send the form again."
    ]
    assert errors[0] in response.content.decode()
    # what the officer typed is still in the form, and nothing was written
    assert response.context["form"]["incident_place"].value() == "Бишкек"
    assert not Case.objects.exists()
    assert not OutboxMessage.objects.exists()


# ---------------------------------------------------------------------------
# The migration that brings the counters in
# ---------------------------------------------------------------------------
class Migrator:
    """Moves the cases app to one of its migrations, every other app staying at its latest."""

    def __init__(self) -> None:
        self.executor = MigrationExecutor(connection)
        self.latest = self.executor.loader.graph.leaf_nodes()

    def cases_to(self, name: str):
        """Migrate cases to `name`; return the models as they were then. An app whose latest migration needs a later
        cases migration (a foreign key to a case from an app added since) is left to be unapplied with it."""
        graph = self.executor.loader.graph
        reachable = set(graph.forwards_plan(("cases", name)))
        targets = [
            node
            for node in self.latest
            if node[0] != "cases" and all(dep in reachable for dep in graph.forwards_plan(node) if dep[0] == "cases")
        ] + [("cases", name)]
        self._migrate(targets)
        return self.executor.loader.project_state(targets).apps

    def all_to_latest(self) -> None:
        self._migrate(self.latest)

    def _migrate(self, targets) -> None:
        self.executor.loader.build_graph()
        self.executor.migrate(targets)


@pytest.fixture
def migrator():
    migrator = Migrator()
    yield migrator
    migrator.all_to_latest()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_starts_each_units_counter_after_its_highest_number(migrator):
    # given cases numbered before the counters existed
    apps = migrator.cases_to("0007_access_log_probes_append_only")
    unit_model, case_model = apps.get_model("accounts", "Unit"), apps.get_model("cases", "Case")
    alamudun = unit_model.objects.create(code="alamudun", name="Аламүдүн", kind="district")
    sokuluk = unit_model.objects.create(code="sokuluk", name="Сокулук", kind="district")
    officer = apps.get_model("accounts", "User").objects.create(username="officer", unit=alamudun)
    for unit, number in [
        (alamudun, f"ALAMUDUN-{YEAR - 1}-00041"),
        (alamudun, f"ALAMUDUN-{YEAR}-00009"),
        (alamudun, f"ALAMUDUN-{YEAR}-00012"),
        (alamudun, "IMPORTED-7"),
        (sokuluk, f"SOKULUK-{YEAR}-00003"),
    ]:
        case_model.objects.create(number=number, unit=unit, created_by=officer, source="citizen")

    # when the counters come in
    counter_model = migrator.cases_to("0008_case_number_counter").get_model("cases", "CaseNumberCounter")

    # then each unit and year starts after its highest number, and new cases continue from there
    assert {(c.unit_id, c.year): c.last for c in counter_model.objects.all()} == {
        (alamudun.pk, YEAR - 1): 41,
        (alamudun.pk, YEAR): 12,
        (sokuluk.pk, YEAR): 3,
    }
    migrator.all_to_latest()
    inspector = UserFactory(unit=Unit.objects.get(pk=alamudun.pk), roles=[Role.INSPECTOR])
    case = services.case_create(actor=inspector, data={"source": Case.Source.CITIZEN})
    assert case.number == f"ALAMUDUN-{YEAR}-00013"
