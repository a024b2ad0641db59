"""Model fields that keep their text encrypted in the database (accounts.encryption) and clear in Python.

The column is `text` whatever `max_length` says (ciphertext is longer than the text); `max_length` still limits what a
form or `full_clean` accepts. A query cannot look inside ciphertext: filtering on such a field is refused (FieldError)
except for comparing with the empty value, which is stored empty. Search goes through a blind index instead
(`accounts.encryption.blind_index`), as the victims' phone and document keys do.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import encryption


class _EmptyOnlyExact(Exact):
    """`field=""` still works (empty values are stored empty); any other value would never match ciphertext."""

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.output_field.name} is encrypted: filter on its blind index, not on the value.")
        return super().get_prep_lookup()


class EncryptedMixin:
    """Encrypt on the way to the database, decrypt on the way back; empty stays empty."""

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name):
        return None

    def _purpose(self) -> str:
        return self.column

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encryption.encrypt(str(value), purpose=self._purpose())

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return encryption.decrypt(value, purpose=self._purpose())


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A one-line personal datum (phone, address, document number) stored encrypted in a text column."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A multi-line personal datum stored encrypted."""
