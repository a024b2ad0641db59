"""Seed a large data set for the benchmarks (`make bench`, issue 13) with set-based SQL: PostgreSQL only.

    python manage.py seed_scale --cases 100000 [--persons 1000000] [--history-edits 10]

Adds `--cases` cases (units, officers and supervisors the first time; one or two persons per case; about one per-case
grant per case in cases_caseuserobjectpermission, the direct foreign-key table of guardian), then more persons on
random cases until there are `--persons`, then `--history-edits` history rows per new case (cases_historicalcase, as
`--history-edits` saves would leave). Names come from a small pool of Kyrgyz and Russian names, in Cyrillic with some
Latin spellings, so many persons share a name. Encrypted fields are written in clear by SQL and then encrypted in place,
as the key rotation does. Run it again to add more.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction


class Command(BaseCommand):
    help = "Seed a large data set for the benchmarks (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--persons", type=int, default=0, help="total persons wanted (0: 1–2 per case)")
        parser.add_argument("--history-edits", type=int, default=0, help="history rows per new case")

    def handle(self, *args, cases, persons, history_edits, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (set DATABASE_URL to a scratch PostgreSQL database); "
                f"this database is {connection.vendor}"
            )
        from bench import scale

        with connection.cursor() as cursor:
            cursor.execute("SELECT array_agg(id) FROM cases_case")
            before = set(cursor.fetchone()[0] or [])
        with transaction.atomic():
            officers = scale._units_and_users()
            with connection.cursor() as cursor:
                scale._insert_cases(cursor, cases, officers)
                scale._insert_victims(cursor)
                scale._insert_grants(cursor)
                if persons:
                    _insert_more_persons(cursor, persons)
                if history_edits:
                    _insert_history(cursor, history_edits, before)
        scale._encrypt_victims()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            counts = {}
            for table in ("cases_case", "cases_victim", "cases_caseuserobjectpermission", "cases_historicalcase"):
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
                counts[table] = cursor.fetchone()[0]
        self.stdout.write(", ".join(f"{table} {n}" for table, n in counts.items()))


LATIN = {
    "Асанов": "Asanov",
    "Алиев": "Aliev",
    "Жумабаев": "Zhumabaev",
    "Исаков": "Isakov",
    "Мамытов": "Mamytov",
    "Осмонов": "Osmonov",
}


def _insert_more_persons(cursor, persons: int) -> None:
    """More persons on random cases up to `persons` in all; one in ten spelt in Latin letters (a foreign passport)."""
    from bench import scale
    from cases.names import name_key, phonetic_key

    cursor.execute("SELECT count(*) FROM cases_victim")
    missing = persons - cursor.fetchone()[0]
    if missing <= 0:
        return
    female = [(s + "а", f) for s in scale.SURNAMES for f in scale.FIRST_NAMES_FEMALE]
    male = [(s, f) for s in scale.SURNAMES for f in scale.FIRST_NAMES_MALE]
    russian = [("Иванова", "Ольга"), ("Петрова", "Анна"), ("Смирнов", "Сергей"), ("Ким", "Виктория")]
    names = female + male + russian
    rows = []
    for i, (last, first) in enumerate(names):
        latin = LATIN.get(last.rstrip("а"), "")
        rows.append((i + 1, last, first, name_key(last, first), phonetic_key(last, first), latin, ""))
    cursor.execute(
        "CREATE TEMP TABLE scale_name2 (idx int PRIMARY KEY, last_name text, first_name text, key text, "
        "phonetic text, last_latin text, first_latin text)"
    )
    cursor.executemany("INSERT INTO scale_name2 VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
    cursor.execute("CREATE TEMP TABLE scale_case AS SELECT row_number() OVER () AS r, id, created_at FROM cases_case")
    cursor.execute("SELECT count(*) FROM scale_case")
    n_cases = cursor.fetchone()[0]
    cursor.execute(
        """
        INSERT INTO cases_victim (id, case_id, last_name, first_name, patronymic, last_name_latin, first_name_latin,
            sex, date_of_birth, approximate_age, appears_minor, citizenship, foreign_status_documents,
            receiving_organisation, residence_address, temporary_residence_address, phone, other_contacts,
            id_document_type, id_document_number, identity_established_by, name_key, name_phonetic, phone_key,
            document_key, created_at, updated_at, version)
        SELECT gen_random_uuid(), c.id, n.last_name, n.first_name, '',
            CASE WHEN p.g %% 10 = 0 THEN n.last_latin ELSE '' END, '', 'female',
            date '1975-01-01' + (p.g::bigint * 7919 %% 15000)::int, NULL, false, 'KG', '', '', '', '', '', '', '',
            '', 'not_yet', n.key, n.phonetic, '', '', c.created_at, c.created_at, 1
        FROM generate_series(1, %(missing)s) AS p(g)
        JOIN scale_case c ON c.r = 1 + (p.g::bigint * 104729) %% %(cases)s
        JOIN scale_name2 n ON n.idx = 1 + (p.g::bigint * 31) %% %(names)s
        """,
        {"missing": missing, "cases": n_cases, "names": len(names)},
    )
    cursor.execute("DROP TABLE scale_name2")
    cursor.execute("DROP TABLE scale_case")


def _insert_history(cursor, edits: int, before: set) -> None:
    """`edits` history rows per new case: a creation row and changes, each a full copy of the row as simple-history
    writes it."""
    from cases.models import Case

    historical = Case.history.model
    case_columns = {f.column for f in Case._meta.concrete_fields}
    columns = [f.column for f in historical._meta.concrete_fields if f.column in case_columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    selected = ", ".join(f'c."{c}"' for c in columns)
    cursor.execute(
        f"""
        INSERT INTO {historical._meta.db_table} ({quoted}, history_date, history_type, history_user_id,
            history_change_reason)
        SELECT {selected}, c.created_at + e * interval '1 hour', CASE WHEN e = 1 THEN '+' ELSE '~' END,
            c.created_by_id, NULL
        FROM cases_case c CROSS JOIN generate_series(1, %(edits)s) AS e
        WHERE NOT (c.id = ANY(%(before)s::uuid[]))
        """,  # noqa: S608 (column names from the model)
        {"edits": edits, "before": list(before)},
    )
