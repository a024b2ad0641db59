"""Encryption at rest of the most sensitive personal data (whereabouts, contacts, health, document numbers).

AES-256-GCM (authenticated: a changed byte fails to decrypt, never gives other text). A stored value reads
``enc1:<key id>:<base64url of nonce + ciphertext + tag>``; the key id is the first 8 hex digits of the SHA-256 of the
key, so a value names the key that opens it and `rotate_encryption_key` knows which values are still under an old key.
The column name is bound in as associated data: a value copied into another column does not decrypt.

Keys come from FIELD_ENCRYPTION_KEYS (settings): comma-separated, each 32 bytes in base64; the first encrypts, all
decrypt. Empty values are stored empty (see README, "Encryption at rest").
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1"
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(ValueError):
    """A stored value that is not ciphertext of ours, names an unknown key, or fails authentication."""


@dataclass(frozen=True)
class FieldKey:
    key_id: str
    aead: AESGCM


def key_id_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:8]


def parse_keys(value: str) -> tuple[FieldKey, ...]:
    """Read FIELD_ENCRYPTION_KEYS: comma-separated base64 (standard or URL-safe) 32-byte keys, the first encrypting."""
    keys = []
    for number, text in enumerate((part.strip() for part in value.split(",")), start=1):
        if not text:
            continue
        try:
            normalised = text.replace("+", "-").replace("/", "_")
            raw = base64.b64decode(normalised + "=" * (-len(normalised) % 4), altchars=b"-_", validate=True)
        except (binascii.Error, ValueError) as error:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key {number} is not base64.") from error
        if len(raw) != KEY_BYTES:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key {number} must be {KEY_BYTES} bytes long.")
        keys.append(FieldKey(key_id=key_id_of(raw), aead=AESGCM(raw)))
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds no key.")
    if len({key.key_id for key in keys}) != len(keys):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS lists the same key twice.")
    return tuple(keys)


def new_key() -> str:
    """A fresh random key in the form FIELD_ENCRYPTION_KEYS takes."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


@lru_cache(maxsize=8)
def _keys_for(setting: str) -> tuple[FieldKey, ...]:
    return parse_keys(setting)


def field_keys() -> tuple[FieldKey, ...]:
    return _keys_for(settings.FIELD_ENCRYPTION_KEYS)


def current_key_id() -> str:
    return field_keys()[0].key_id


def _aad(purpose: str) -> bytes:
    return f"{PREFIX}:{purpose}".encode()


def encrypt(plaintext: str, *, purpose: str) -> str:
    """Encrypt a text under the first key; `purpose` (the column name) must be given again to decrypt."""
    key = field_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, plaintext.encode("utf-8"), _aad(purpose))
    return f"{PREFIX}:{key.key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def is_token(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def token_key_id(token: str) -> str:
    """The id of the key a stored value is encrypted under."""
    parts = token.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("The stored value is not an encrypted value.")
    return parts[1]


def decrypt(token: str, *, purpose: str) -> str:
    """Decrypt a stored value; raise DecryptionError when it is not ours, its key is unknown or it was altered."""
    key_id = token_key_id(token)
    key = next((k for k in field_keys() if k.key_id == key_id), None)
    if key is None:
        raise DecryptionError(f"The stored value is encrypted under key {key_id}, which FIELD_ENCRYPTION_KEYS lacks.")
    try:
        blob = base64.b64decode(token.split(":", 2)[2].encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise DecryptionError("The stored encrypted value is damaged.") from error
    if len(blob) <= NONCE_BYTES:
        raise DecryptionError("The stored encrypted value is damaged.")
    try:
        plain = key.aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(purpose))
    except InvalidTag as error:
        raise DecryptionError("The stored encrypted value failed authentication (altered or misplaced).") from error
    return plain.decode("utf-8")


def blind_index(kind: str, normalised: str) -> str:
    """A keyed HMAC-SHA256 of a normalised value, for exact-match search of an encrypted one; empty for empty."""
    if not normalised:
        return ""
    secret = settings.BLIND_INDEX_KEY.encode()
    message = f"{kind}\x00{normalised}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
