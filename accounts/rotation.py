"""Re-encrypt every encrypted value under the first key of FIELD_ENCRYPTION_KEYS (`rotate_encryption_key`).

Plain SQL by primary key, batch by batch, each batch in its own transaction: no `save()`, so no history row, no
`updated_at` or version bump, no outbox row. Each value is written back only if it is still the one read (a
compare-and-swap on the old ciphertext), so an edit made meanwhile is never overwritten; a rerun picks up what is left.
Idempotent: a value already under the first key is left alone. Blind indexes (`blind_indexes`) are recomputed from the
decrypted values and written when they differ (after a change of BLIND_INDEX_KEY).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction

from . import encryption
from .encryption_migration import batches
from .fields import EncryptedMixin

BlindIndexes = Callable[[dict[str, str]], dict[str, str]]


@dataclass
class TableCount:
    table: str
    rows: int = 0
    values: int = 0
    current: int = 0
    reencrypted: int = 0
    plaintext: int = 0
    reindexed: int = 0
    conflicts: int = 0
    by_key: dict[str, int] = field(default_factory=dict)


def encrypted_tables() -> list[tuple[str, str, list[str]]]:
    """(table, primary-key column, encrypted columns) of every model with an encrypted field, history included."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
        if columns:
            found.append((model._meta.db_table, model._meta.pk.column, columns))
    return sorted(found)


def rotate_table(
    *, table: str, pk: str, columns: list[str], dry_run: bool, blind_indexes: BlindIndexes | None = None
) -> TableCount:
    count = TableCount(table=table)
    current = encryption.current_key_id()
    quote = connection.ops.quote_name
    index_columns = list(blind_indexes({c: "" for c in columns}).keys()) if blind_indexes else []
    for rows in batches(connection, table, pk, [*columns, *index_columns]):
        with transaction.atomic():
            for row in rows:
                count.rows += 1
                key = row[0]
                stored = dict(zip([*columns, *index_columns], row[1:], strict=True))
                new, plain = {}, {}
                for column in columns:
                    value = stored[column]
                    if not value:
                        plain[column] = ""
                        continue
                    count.values += 1
                    if not encryption.is_token(value):
                        count.plaintext += 1
                        plain[column] = value
                        new[column] = encryption.encrypt(value, purpose=column)
                        continue
                    key_id = encryption.token_key_id(value)
                    count.by_key[key_id] = count.by_key.get(key_id, 0) + 1
                    plain[column] = encryption.decrypt(value, purpose=column)
                    if key_id == current:
                        count.current += 1
                    else:
                        count.reencrypted += 1
                        new[column] = encryption.encrypt(plain[column], purpose=column)
                if blind_indexes:
                    indexes = {c: v for c, v in blind_indexes(plain).items() if (stored[c] or "") != v}
                    count.reindexed += bool(indexes)
                    new.update(indexes)
                if not new or dry_run:
                    continue
                assignments = ", ".join(f"{quote(c)} = %s" for c in new)
                unchanged = " AND ".join(
                    f"{quote(c)} = %s" if stored[c] is not None else f"{quote(c)} IS NULL" for c in columns
                )
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s AND {unchanged}",  # noqa: S608
                        [*new.values(), key, *(stored[c] for c in columns if stored[c] is not None)],
                    )
                    if cursor.rowcount != 1:
                        count.conflicts += 1
    return count


def rotate_all(
    *, dry_run: bool = False, blind_indexes: dict[str, BlindIndexes] | None = None, report=None
) -> list[TableCount]:
    """Rotate every encrypted table; `report(count)` is called after each table."""
    counts = []
    for table, pk, columns in encrypted_tables():
        count = rotate_table(
            table=table, pk=pk, columns=columns, dry_run=dry_run, blind_indexes=(blind_indexes or {}).get(table)
        )
        counts.append(count)
        if report:
            report(count)
    return counts
