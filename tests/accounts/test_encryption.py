"""Encryption at rest (accounts.encryption): authenticated, keyed by id, rotatable; keys read strictly."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import encryption
from accounts.encryption import DecryptionError

BASE_DIR = Path(__file__).resolve().parents[2]
KEY_A = base64.urlsafe_b64encode(b"a" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"b" * 32).decode()


def test_a_value_round_trips_and_names_its_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = KEY_A

    token = encryption.encrypt("+996 555 12 34 56", purpose="phone")

    assert token.startswith(f"enc1:{encryption.key_id_of(b'a' * 32)}:")
    assert "555" not in token
    assert encryption.decrypt(token, purpose="phone") == "+996 555 12 34 56"


def test_the_same_text_encrypts_differently_each_time(settings):
    settings.FIELD_ENCRYPTION_KEYS = KEY_A

    assert encryption.encrypt("AN1234567", purpose="id_document_number") != encryption.encrypt(
        "AN1234567", purpose="id_document_number"
    )


def test_a_changed_byte_fails_authentication_instead_of_giving_other_text(settings):
    settings.FIELD_ENCRYPTION_KEYS = KEY_A
    token = encryption.encrypt("Бишкек, Ахунбаева 1", purpose="residence_address")
    prefix, key_id, body = token.split(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[20] ^= 0x01
    tampered = f"{prefix}:{key_id}:{base64.urlsafe_b64encode(bytes(raw)).decode()}"

    with pytest.raises(DecryptionError, match="failed authentication"):
        encryption.decrypt(tampered, purpose="residence_address")


def test_a_value_moved_to_another_column_does_not_decrypt(settings):
    settings.FIELD_ENCRYPTION_KEYS = KEY_A
    token = encryption.encrypt("+996 555 12 34 56", purpose="phone")

    with pytest.raises(DecryptionError, match="failed authentication"):
        encryption.decrypt(token, purpose="other_contacts")


@pytest.mark.parametrize("stored", ["+996 555 12 34 56", "enc1:deadbeef", "enc1:abcd:!!!", "enc1:abcd:"])
def test_plain_or_damaged_stored_values_are_refused(settings, stored):
    settings.FIELD_ENCRYPTION_KEYS = KEY_A

    with pytest.raises(DecryptionError):
        encryption.decrypt(stored, purpose="phone")


def test_an_old_key_still_decrypts_and_the_first_key_encrypts(settings):
    settings.FIELD_ENCRYPTION_KEYS = KEY_A
    old = encryption.encrypt("secret", purpose="phone")

    settings.FIELD_ENCRYPTION_KEYS = f"{KEY_B},{KEY_A}"

    assert encryption.decrypt(old, purpose="phone") == "secret"
    assert encryption.token_key_id(encryption.encrypt("secret", purpose="phone")) == encryption.key_id_of(b"b" * 32)


def test_a_value_under_a_removed_key_says_which_key_is_missing(settings):
    settings.FIELD_ENCRYPTION_KEYS = KEY_A
    old = encryption.encrypt("secret", purpose="phone")
    settings.FIELD_ENCRYPTION_KEYS = KEY_B

    with pytest.raises(DecryptionError, match=encryption.key_id_of(b"a" * 32)):
        encryption.decrypt(old, purpose="phone")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "no key"),
        (" , ", "no key"),
        ("not-base64!!", "base64"),
        (base64.urlsafe_b64encode(b"short").decode(), "32 bytes"),
        (f"{KEY_A},{KEY_A}", "twice"),
    ],
)
def test_malformed_keys_are_refused(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        encryption.parse_keys(value)


def test_standard_base64_keys_are_read_too():
    standard = base64.b64encode(bytes(range(200, 232))).decode()

    assert encryption.parse_keys(standard)[0].key_id == encryption.key_id_of(bytes(range(200, 232)))


def test_the_blind_index_is_keyed_and_empty_for_empty(settings):
    settings.BLIND_INDEX_KEY = "one"
    first = encryption.blind_index("cases.victim.phone", "555123456")
    settings.BLIND_INDEX_KEY = "two"

    assert first != encryption.blind_index("cases.victim.phone", "555123456")
    assert len(first) == 64 and "555123456" not in first
    assert encryption.blind_index("cases.victim.phone", "") == ""


# -- production refuses to start without a key (a subprocess: settings are read at start) ----------------------------
def _check(tmp_path, **values: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TESTING", "DEMO_MODE", "DJANGO_DEBUG", "SECRET_KEY", "DATABASE_URL", "FIELD_ENCRYPTION_KEYS"}
        and not key.startswith("PYTEST")
    }
    environment.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": "",
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "cms.example.org",
            **values,
        }
    )
    command = [sys.executable, "manage.py", "check"]
    return subprocess.run(command, cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_production_refuses_to_start_without_field_encryption_keys(tmp_path):
    result = _check(tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_production_refuses_to_start_with_a_malformed_key(tmp_path):
    result = _check(tmp_path, FIELD_ENCRYPTION_KEYS="CHANGE-ME")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_starts_with_a_key(tmp_path):
    result = _check(tmp_path, FIELD_ENCRYPTION_KEYS=encryption.new_key())

    assert result.returncode == 0, result.stderr
