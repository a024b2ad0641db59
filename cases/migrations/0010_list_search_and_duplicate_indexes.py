"""Indexes for the case list, its search and the duplicate check.

- `case_received_idx`: the list's order, so a page of a wide scope is read in order instead of sorted from all rows.
- `victim_date_of_birth_idx`: the duplicate check's similar names among people born on a given day.
- On PostgreSQL only, trigram (pg_trgm, created by 0002) GIN indexes for the search's substring matches: the case number
  and the place as Django's `icontains` writes them (`UPPER(col::text) LIKE UPPER(…)`), and the phone key (`LIKE '%…'`);
  and a GiST trigram index of the name key, which returns the nearest names first (`ORDER BY name_key <-> …`) for the
  duplicate check (the GIN index of 0002 serves `LIKE` and `%` but must score every similar row to order them).
"""

from django.db import migrations, models

TRIGRAM_INDEXES = {
    "cases_case_number_trgm": "cases_case USING gin ((UPPER(number::text)) gin_trgm_ops)",
    "cases_case_place_trgm": "cases_case USING gin ((UPPER(incident_place::text)) gin_trgm_ops)",
    "cases_victim_phone_key_trgm": "cases_victim USING gin (phone_key gin_trgm_ops)",
    "cases_victim_name_key_trgm_gist": "cases_victim USING gist (name_key gist_trgm_ops)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in TRIGRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_plausible_dates_and_plain_text")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-received_at"], name="case_received_idx"),
        ),
        migrations.AddIndex(
            model_name="victim",
            index=models.Index(fields=["date_of_birth"], name="victim_date_of_birth_idx"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
