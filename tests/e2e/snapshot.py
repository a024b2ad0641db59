"""The demo data of the browser tests, seeded once per session and copied back before each test.

`seed_demo` takes seconds (users, cases, screenings, history, permissions, files); copying its rows back with one
`INSERT … SELECT` per table takes a fraction of that. The copy lives in tables of the same test database under a prefix
that Django does not know, so the flush after each browser test leaves it alone; the demo's files are copied the same
way into each test's MEDIA_ROOT.
"""

import shutil
from pathlib import Path

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

PREFIX = "e2e_snapshot__"


class DemoSnapshot:
    def __init__(self) -> None:
        self.tables: list[str] = []
        self.media: Path | None = None

    @property
    def taken(self) -> bool:
        return bool(self.tables)

    def take(self, media_root: Path, keep_files_in: Path) -> None:
        """Copy every table's rows (the demo and what migrations loaded) and the demo's files aside."""
        quote = connection.ops.quote_name
        tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(PREFIX + table)}")
                cursor.execute(f"CREATE TABLE {quote(PREFIX + table)} AS SELECT * FROM {quote(table)}")  # noqa: S608 - quoted names of our tables
        self.media = keep_files_in / "media"
        if Path(media_root).exists():
            shutil.copytree(media_root, self.media, dirs_exist_ok=True)
        self.tables = tables

    def restore(self, media_root: Path) -> None:
        """Empty every table and copy the snapshot back, in one transaction; then the sequences and the files.

        Foreign keys are deferred to the commit (Django creates them DEFERRABLE INITIALLY DEFERRED), so the order of
        the tables does not matter.
        """
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # the access log refuses TRUNCATE but to the test runner's flush (tests/conftest.py): this is one too
                cursor.execute("SET LOCAL cases.access_log_test_flush = 'on'")
            for sql in connection.ops.sql_flush(no_style(), self.tables, allow_cascade=True):
                cursor.execute(sql)
            for table in self.tables:
                cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(PREFIX + table)}")  # noqa: S608 - quoted names of our tables
            models = apps.get_models(include_auto_created=True)
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        if self.media is not None and self.media.exists():
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)
