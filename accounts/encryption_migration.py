"""Encrypt existing rows in place (and back), for the migrations that turn a column into an encrypted one.

Plain SQL by primary key, in batches: the migration's historical models already carry the encrypted field classes,
so they cannot read the plain values a table still holds. Idempotent both ways: a value already in the wanted form is
left alone. `transform(table, pk, values, forward)` may set other columns of the row too (the victims' blind indexes).
"""

from collections.abc import Callable, Iterable

from django.db import migrations

from . import encryption

BATCH = 500

Transform = Callable[[dict[str, str], bool], dict[str, str]]


def batches(connection, table: str, pk: str, columns: list[str]) -> Iterable[list[tuple]]:
    """The rows in primary-key order, BATCH at a time (keyset pagination: memory stays flat on a large table)."""
    quote = connection.ops.quote_name
    selected = ", ".join(quote(c) for c in [pk, *columns])
    last = None
    while True:
        where, params = (f"WHERE {quote(pk)} > %s", [last]) if last is not None else ("", [])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {selected} FROM {quote(table)} {where} ORDER BY {quote(pk)} LIMIT {BATCH}",  # noqa: S608
                params,
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def convert_table(
    connection, *, table: str, pk: str, columns: list[str], forward: bool, extra: Transform | None = None
) -> int:
    """Encrypt (forward) or decrypt the columns of every row; return how many rows changed."""
    quote = connection.ops.quote_name
    changed = 0
    for rows in batches(connection, table, pk, columns):
        for row in rows:
            key, new, plain = row[0], {}, {}
            for column, value in zip(columns, row[1:], strict=True):
                token = bool(value) and encryption.is_token(value)
                plain[column] = encryption.decrypt(value, purpose=column) if token else (value or "")
                if forward and value and not token:
                    new[column] = encryption.encrypt(value, purpose=column)
                elif not forward and token:
                    new[column] = plain[column]
            if extra:
                new.update(extra(plain, forward))
            if not new:
                continue
            assignments = ", ".join(f"{quote(column)} = %s" for column in new)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",  # noqa: S608 - names quoted
                    [*new.values(), key],
                )
            changed += 1
    return changed


def encrypt_columns(tables: list[tuple[str, str, list[str]]], extra: dict[str, Transform] | None = None):
    """A reversible RunPython encrypting `(table, primary key, columns)` in place; decrypting when unapplied."""

    def run(forward: bool):
        def operation(apps, schema_editor):
            for table, pk, columns in tables:
                convert_table(
                    schema_editor.connection,
                    table=table,
                    pk=pk,
                    columns=columns,
                    forward=forward,
                    extra=(extra or {}).get(table),
                )

        return operation

    return migrations.RunPython(run(True), run(False), elidable=False)
