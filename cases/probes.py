"""What a duplicate check searched for, kept in the access log as keyed hashes: who probed which number, never in clear.

A supervisor looks a number up by hashing it the same way (`cases.selectors.personal_data_probes_of`). The key is
ACCESS_LOG_HASH_KEY (by default derived from SECRET_KEY): keep it stable, or older probes can no longer be found.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.crypto import salted_hmac

from accounts.encryption import blind_index

from .names import digits_key, document_key, name_key

# The shortest keys the duplicate search uses (shorter ones would match too much and are not searched).
MIN_PHONE_DIGITS = 6
MIN_DOCUMENT_CHARS = 5


@dataclass(frozen=True)
class Probe:
    """The kinds of keys a duplicate check used, and each key as a keyed hash (empty when not used)."""

    kinds: tuple[str, ...]
    name_hash: str = ""
    phone_hash: str = ""
    document_hash: str = ""


def keyed_hash(kind: str, key: str) -> str:
    """Return the HMAC-SHA256 of a normalised key; empty for an empty key."""
    if not key:
        return ""
    secret = getattr(settings, "ACCESS_LOG_HASH_KEY", "") or settings.SECRET_KEY
    return salted_hmac(f"cases.access-log.probe.{kind}", key, secret=secret, algorithm="sha256").hexdigest()


def phone_probe_key(phone: str) -> str:
    key = digits_key(phone)
    return key if len(key) >= MIN_PHONE_DIGITS else ""


def document_probe_key(document_number: str) -> str:
    key = document_key(document_number)
    return key if len(key) >= MIN_DOCUMENT_CHARS else ""


def probe_of(*, names: tuple[str, ...], date_of_birth: date | None, phone: str, document_number: str) -> Probe:
    """Describe what a duplicate check with these inputs searches for."""
    name, phone_key, document = name_key(*names), phone_probe_key(phone), document_probe_key(document_number)
    kinds = [
        kind
        for kind, used in (
            ("name", bool(name)),
            ("date_of_birth", bool(name) and date_of_birth is not None),
            ("phone", bool(phone_key)),
            ("document", bool(document)),
        )
        if used
    ]
    return Probe(
        kinds=tuple(kinds),
        name_hash=keyed_hash("name", name),
        phone_hash=keyed_hash("phone", phone_key),
        document_hash=keyed_hash("document", document),
    )


def phone_blind_index(phone: str) -> str:
    """The victims' phone_key: a keyed hash of the phone's last digits (the phone itself is encrypted)."""
    return blind_index("cases.victim.phone", digits_key(phone))


def document_blind_index(document_number: str) -> str:
    """The victims' document_key: a keyed hash of the normalised document number (the number is encrypted)."""
    return blind_index("cases.victim.document", document_key(document_number))
