"""Canaries: 100 unique values written through the services into the encrypted fields never appear in clear in a
pg_dump of the database, in the history tables read raw, or in the logs of the whole run (DEBUG, SQL included)."""

import logging
import secrets
import subprocess
from itertools import count

import pytest
from django.db import connection

from accounts.models import Organisation
from accounts.rotation import encrypted_tables
from cases import services as case_services
from referrals import services as referral_services
from referrals.models import CATEGORIES, Recipient
from reports import services as report_services
from screening import services as screening_services
from tests.factories import CaseFactory

PG_DUMP = "/usr/bin/pg_dump"
CANARIES = 100


class Canaries:
    """Unique strings, handed out one by one and remembered."""

    def __init__(self):
        self.values: list[str] = []
        self._numbers = count()

    def __call__(self) -> str:
        value = f"CNRY{next(self._numbers):03d}x{secrets.token_hex(4)}"
        self.values.append(value)
        return value


def _write_one_case_of_canaries(canary: Canaries, *, owner, district, recipient) -> None:
    case = CaseFactory(created_by=owner)
    victim = case_services.victim_create(
        case=case,
        actor=owner,
        data={
            "last_name": "Асанова",
            "phone": canary(),
            "other_contacts": canary(),
            "residence_address": canary(),
            "temporary_residence_address": canary(),
            "id_document_number": canary(),
            "foreign_status_documents": canary(),
        },
    )
    # An edit: the history keeps the old and the new value, both must be ciphertext.
    case_services.victim_update(
        victim=victim, actor=owner, data={"phone": canary(), "residence_address": canary()}, version=1
    )
    case_services.legal_representative_add(
        victim=victim,
        actor=owner,
        data={"full_name": "Асанов Бакыт", "relation": "father", "phone": canary(), "address": canary()},
    )
    case_services.suspect_add(
        case=case, actor=owner, data={"identifying_data": canary(), "possible_locations": canary()}
    )
    screening_services.screening_record(case=case, actor=owner, facts={}, victim=victim, notes=canary())
    referral_services.referral_create(case=case, recipient=recipient, actor=owner, victim=victim, health_needs=canary())
    rapport = report_services.rapport_start(case=case, actor=owner)  # prefills the suspects' canaries
    report_services.rapport_update(
        rapport=rapport, actor=owner, data={"traces": canary(), "consequences": canary()}, version=rapport.version
    )
    referral_services.hotline_call_record(
        operator=owner,
        data={
            "caller": "relative",
            "caller_phone": canary(),
            "callback_consent": True,
            "summary": "Эжеси Казакстанга кетип, байланышпай калды.",
            "urgency": "urgent",
            "district": district,
        },
    )


def _dump(database: str) -> str:
    result = subprocess.run(  # noqa: S603 - a fixed program and the test database's name
        [PG_DUMP, "-h", "127.0.0.1", "-U", "postgres", "--no-owner", "--data-only", database],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name we listed
        return "\n".join(repr(row) for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # committed rows: pg_dump reads them from another session
def test_no_canary_appears_in_a_database_dump_the_history_tables_or_the_logs(caplog, owner, district):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.db.backends"):  # Django's own loggers stop at INFO unless told otherwise
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True  # log every SQL statement with its parameters, as DEBUG would
    try:
        organisation = Organisation.objects.create(name="«Ишеним»", kind=Recipient.Kind.NGO)
        recipient = Recipient.objects.create(
            kind=Recipient.Kind.NGO, organisation=organisation, agreement_categories=list(CATEGORIES)
        )
        canary = Canaries()
        while len(canary.values) < CANARIES:
            _write_one_case_of_canaries(canary, owner=owner, district=district, recipient=recipient)
    finally:
        connection.force_debug_cursor = False
    assert len(set(canary.values)) >= CANARIES

    # The values are there and read back (so the test writes what it claims to).
    from cases.models import Victim

    assert Victim.objects.filter(case__created_by=owner).count() >= CANARIES // 16
    assert any(v.phone in canary.values for v in Victim.objects.all())

    dump = _dump(connection.settings_dict["NAME"])
    assert "enc1:" in dump  # the dump holds the ciphertext
    leaked = [value for value in canary.values if value in dump]
    assert leaked == [], f"{len(leaked)} canaries in clear in pg_dump"

    history = "\n".join(_raw_rows(table) for table, _, _ in encrypted_tables() if "historical" in table)
    assert "enc1:" in history
    assert [value for value in canary.values if value in history] == []

    logged = caplog.text + "\n".join(repr(record.args) for record in caplog.records)
    assert "INSERT INTO" in logged  # the SQL was logged, with its (encrypted) parameters
    assert [value for value in canary.values if value in logged] == []
