"""The victims' whereabouts, contacts and document numbers are ciphertext in the database, history included; the
duplicate check and the list search still find a phone or a document number through their blind indexes."""

import base64
from io import StringIO

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from accounts import encryption
from accounts.encryption import DecryptionError
from accounts.encryption_migration import convert_table
from accounts.rotation import encrypted_tables
from cases import selectors, services
from cases.models import Case, LegalRepresentative, Suspect, Victim
from cases.probes import document_blind_index, phone_blind_index

NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()

VICTIM_DATA = {
    "last_name": "Асанова",
    "first_name": "Айжан",
    "phone": "+996 555 12-34-56",
    "other_contacts": "telegram @aizhan_canary",
    "residence_address": "Бишкек, Ахунбаева 1, кв. 7",
    "temporary_residence_address": "Алматы, Абая 10",
    "id_document_number": "AN 1234567",
    "foreign_status_documents": "",
}


def _raw(table: str, column: str, pk_column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {pk_column} = %s", [pk])  # noqa: S608 - test's own names
        return cursor.fetchone()[0]


def _pk(value) -> str:
    return value.hex if connection.vendor == "sqlite" else value


@pytest.fixture
def victim(case, owner):
    return services.victim_create(case=case, actor=owner, data=dict(VICTIM_DATA))


def test_the_raw_columns_hold_ciphertext_and_the_model_reads_the_text(victim):
    for field, text in VICTIM_DATA.items():
        if not text or "name" in field:  # names stay clear: the trigram duplicate search reads them
            continue
        stored = _raw("cases_victim", field, "id", _pk(victim.pk))
        assert stored.startswith("enc1:"), field
        assert text not in stored
        assert encryption.decrypt(stored, purpose=field) == text
    assert Victim.objects.get(pk=victim.pk).phone == "+996 555 12-34-56"


def test_empty_values_stay_empty(victim):
    assert _raw("cases_victim", "foreign_status_documents", "id", _pk(victim.pk)) == ""
    assert Victim.objects.get(pk=victim.pk).foreign_status_documents == ""


def test_the_history_rows_hold_ciphertext_too(victim, owner):
    services.victim_update(victim=victim, actor=owner, data={"phone": "0700 11 22 33"}, version=1)

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_key FROM cases_historicalvictim WHERE id = %s", [_pk(victim.pk)])
        rows = cursor.fetchall()
    assert len(rows) == 2
    assert all(phone.startswith("enc1:") and "700" not in phone and "555" not in phone for phone, _ in rows)
    assert {key for _, key in rows} == {phone_blind_index("555123456"), phone_blind_index("700112233")}
    assert [h.phone for h in victim.history.order_by("history_date")] == ["+996 555 12-34-56", "0700 11 22 33"]


def test_the_search_keys_are_keyed_hashes_not_the_digits(victim):
    assert victim.phone_key == phone_blind_index("0555123456")
    assert "555123456" not in victim.phone_key and "1234567" not in victim.document_key
    assert victim.document_key == document_blind_index("an-1234567")


def test_a_tampered_value_fails_loudly_instead_of_reading_as_other_text(victim):
    stored = _raw("cases_victim", "phone", "id", _pk(victim.pk))
    tampered = stored[:-6] + ("AAAA" if stored[-6:-2] != "AAAA" else "BBBB") + stored[-2:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_victim SET phone = %s WHERE id = %s", [tampered, _pk(victim.pk)])

    with pytest.raises(DecryptionError, match="failed authentication"):
        Victim.objects.get(pk=victim.pk)


def test_a_value_copied_into_another_column_fails_authentication(victim):
    stored = _raw("cases_victim", "phone", "id", _pk(victim.pk))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_victim SET other_contacts = %s WHERE id = %s", [stored, _pk(victim.pk)])

    with pytest.raises(DecryptionError):
        Victim.objects.get(pk=victim.pk)


@pytest.mark.parametrize(
    "condition",
    [{"phone": "+996 555 12-34-56"}, {"phone__icontains": "555"}, {"residence_address__startswith": "Б"}],
)
def test_filtering_on_an_encrypted_field_is_refused(victim, condition):
    with pytest.raises(FieldError):
        list(Victim.objects.filter(**condition))


def test_comparing_with_the_empty_value_still_works(victim):
    assert list(Victim.objects.filter(foreign_status_documents="")) == [victim]
    assert not Victim.objects.filter(phone="").exists()


@pytest.mark.parametrize(
    ("phone", "document"),
    [("0555 123 456", ""), ("+996555123456", ""), ("", "an1234567"), ("", "AN-123 45 67")],
)
def test_the_duplicate_check_finds_the_same_phone_or_document_however_written(owner, victim, phone, document):
    found = selectors.victim_possible_duplicates(
        user=owner, names=("Токтогулова", "Бермет"), phone=phone, document_number=document
    )

    assert [v.pk for v in found.visible] == [victim.pk]
    assert found.visible[0].match_reasons == (["phone"] if phone else ["document"])


def test_the_duplicate_check_does_not_match_a_different_number(owner, victim):
    found = selectors.victim_possible_duplicates(
        user=owner, names=("Токтогулова", "Бермет"), phone="0555 123 457", document_number="AN1234568"
    )

    assert found.visible == [] and found.hidden_count == 0


@pytest.mark.parametrize("typed", ["+996 555 12 34 56", "0555123456", "AN1234567", "an 123 4567"])
def test_the_case_search_finds_a_whole_phone_or_document_number(victim, typed):
    assert list(Case.objects.filter(selectors.case_search_condition(typed))) == [victim.case]


def test_every_encrypted_table_is_known_with_its_history_table():
    tables = {table for table, _, _ in encrypted_tables()}

    for table in ("cases_victim", "cases_legalrepresentative", "cases_suspect", "referrals_referral",
                  "referrals_hotlinecall", "reports_rapport", "screening_screening"):  # fmt: skip
        assert table in tables
        assert table.replace("_", "_historical", 1) in tables


# -- the migration's in-place conversion -----------------------------------------------------------------------------
def test_the_migration_encrypts_plain_rows_in_place_and_back(case, owner):
    representative_victim = services.victim_create(case=case, actor=owner, data={"last_name": "Асанова"})
    representative = services.legal_representative_add(
        victim=representative_victim,
        actor=owner,
        data={"full_name": "Асанов Бакыт", "relation": "father", "phone": "+996 700 1", "address": "Ош"},
    )
    pk = _pk(representative.pk)
    with connection.cursor() as cursor:  # as before the migration: plain text
        cursor.execute("UPDATE cases_legalrepresentative SET phone = %s, address = '' WHERE id = %s", ["0700 1", pk])
    columns = ["phone", "address"]

    changed = convert_table(connection, table="cases_legalrepresentative", pk="id", columns=columns, forward=True)
    again = convert_table(connection, table="cases_legalrepresentative", pk="id", columns=columns, forward=True)

    assert (changed, again) == (1, 0)
    assert _raw("cases_legalrepresentative", "phone", "id", pk).startswith("enc1:")
    assert _raw("cases_legalrepresentative", "address", "id", pk) == ""
    assert LegalRepresentative.objects.get(pk=representative.pk).phone == "0700 1"

    convert_table(connection, table="cases_legalrepresentative", pk="id", columns=columns, forward=False)

    assert _raw("cases_legalrepresentative", "phone", "id", pk) == "0700 1"


# -- key rotation ----------------------------------------------------------------------------------------------------
def _key_ids(table: str, column: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608 - test's own names
        return {encryption.token_key_id(value) for (value,) in cursor.fetchall()}


def test_rotation_reencrypts_every_value_history_included_and_is_idempotent(settings, victim, owner, case):
    services.suspect_add(case=case, actor=owner, data={"possible_locations": "Ош, базар"})
    old = encryption.current_key_id()
    settings.FIELD_ENCRYPTION_KEYS = f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"
    new = encryption.current_key_id()

    call_command("rotate_encryption_key", "--dry-run", stdout=(dry := StringIO()))
    assert _key_ids("cases_victim", "phone") == {old}
    assert "would re-encrypt" in dry.getvalue()

    call_command("rotate_encryption_key", stdout=(first := StringIO()))
    call_command("rotate_encryption_key", stdout=(second := StringIO()))

    rotated = [
        ("cases_victim", "phone"),
        ("cases_historicalvictim", "id_document_number"),
        ("cases_suspect", "possible_locations"),
        ("cases_historicalsuspect", "possible_locations"),
    ]
    for table, column in rotated:
        assert _key_ids(table, column) == {new}, table
    assert "re-encrypted 0," not in first.getvalue().splitlines()[-2]
    assert "Total:" in second.getvalue() and "re-encrypted 0," in second.getvalue().splitlines()[-2]
    assert Victim.objects.get(pk=victim.pk).residence_address == VICTIM_DATA["residence_address"]
    assert Suspect.objects.get().possible_locations == "Ош, базар"

    settings.FIELD_ENCRYPTION_KEYS = NEW_KEY  # the old key removed: everything still reads
    assert [h.phone for h in victim.history.all()] == ["+996 555 12-34-56"]


def test_rotation_recomputes_the_blind_indexes_after_a_change_of_their_key(settings, victim, owner):
    settings.BLIND_INDEX_KEY = "a-new-blind-index-key"
    assert not selectors.victim_possible_duplicates(user=owner, names=("Х",), phone="0555123456").visible

    call_command("rotate_encryption_key", stdout=StringIO())

    found = selectors.victim_possible_duplicates(user=owner, names=("Х",), phone="0555123456")
    assert [v.pk for v in found.visible] == [victim.pk]


def test_rotation_does_not_write_history_or_touch_the_version(settings, victim):
    settings.FIELD_ENCRYPTION_KEYS = f"{NEW_KEY},{settings.FIELD_ENCRYPTION_KEYS}"
    before = (victim.history.count(), Victim.objects.get(pk=victim.pk).updated_at)

    call_command("rotate_encryption_key", stdout=StringIO())

    assert (victim.history.count(), Victim.objects.get(pk=victim.pk).updated_at) == before
