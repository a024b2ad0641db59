"""Case lists, search and the duplicate check against a large generated data set, on PostgreSQL.

The generators behind `manage.py seed_scale` (which `make bench` runs), and a tool to dig deeper. Usage, on a scratch
database:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_scale --cases 100000 --persons 1000000 --history-edits 10
    .venv/bin/python -m bench.scale measure [--explain]

`generate` adds cases (about 1.3 persons and 1 per-case grant each, spread over 9 oblasts of 6 districts) with
set-based SQL; run it again to add more. `measure` signs in as each kind of user through the test client and prints the
best time of `--repeat` runs, the query count and the time spent in SQL of the case-list page, searches and the
duplicate check; `--explain` also prints EXPLAIN ANALYZE of each query on cases; `--only` picks users by label.
Times depend on the machine and its load: compare them between commits on the same machine.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings")
os.environ.setdefault("TESTING", "1")

import django

django.setup()

from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts import encryption  # noqa: E402
from accounts.fields import EncryptedMixin  # noqa: E402
from accounts.models import Unit, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.rotation import rotate_table  # noqa: E402
from cases.models import Victim  # noqa: E402
from cases.names import name_key, phonetic_key  # noqa: E402
from trafficking_cms.management.commands.rotate_encryption_key import victim_blind_indexes  # noqa: E402

OBLASTS = 9
DISTRICTS_PER_OBLAST = 6
INSPECTORS_PER_DISTRICT = 12
SURNAMES = [
    "Асанов",
    "Алиев",
    "Абдыкадыров",
    "Байматов",
    "Бекмуратов",
    "Жумабаев",
    "Исаков",
    "Калыков",
    "Кадыров",
    "Мамытов",
    "Муратов",
    "Насыров",
    "Осмонов",
    "Омурбеков",
    "Сатаров",
    "Сыдыков",
    "Токтогулов",
    "Турдубаев",
    "Усенов",
    "Шаршеев",
    "Эшимов",
    "Юсупов",
    "Жээнбеков",
    "Акматов",
]
FIRST_NAMES_FEMALE = [
    "Айжан",
    "Айгүл",
    "Бермет",
    "Гүлнара",
    "Жылдыз",
    "Зарина",
    "Калыс",
    "Мээрим",
    "Назгүл",
    "Нургүл",
    "Айпери",
    "Чолпон",
    "Асель",
    "Динара",
    "Элиза",
    "Акмаал",
]
FIRST_NAMES_MALE = [
    "Айбек",
    "Бакыт",
    "Нурлан",
    "Эрлан",
    "Азамат",
    "Талант",
    "Улан",
    "Кубат",
    "Мирлан",
    "Данияр",
    "Эмил",
    "Самат",
]
PLACES = [
    "Бишкек",
    "Ош",
    "Жалал-Абад",
    "Каракол",
    "Токмок",
    "Нарын",
    "Талас",
    "Баткен",
    "Кара-Балта",
    "Кант",
    "Өзгөн",
    "Балыкчы",
    "Чолпон-Ата",
    "Москва",
    "Алматы",
    "Стамбул",
    "Дубай",
    "Новосибирск",
    "Екатеринбург",
    "Сеул",
]
STREETS = ["базар", "кафе", "склад", "мейманкана", "сауна", "курулуш", "ферма", "ашкана", "бекет"]


def generate(cases: int) -> None:
    """Add `cases` cases with persons and per-case grants; build the unit tree and the users the first time."""
    with transaction.atomic():
        officers = _units_and_users()
        with connection.cursor() as cursor:
            _insert_cases(cursor, cases, officers)
            _insert_victims(cursor)
            _insert_grants(cursor)
    _encrypt_victims()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM cases_case")
        total_cases = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_victim")
        total_victims = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_caseuserobjectpermission")
        total_grants = cursor.fetchone()[0]
    print(f"cases {total_cases}, persons {total_victims}, per-case user grants {total_grants}")


def _encrypt_victims() -> None:
    """The rows were written in clear by SQL: encrypt them and set their blind indexes, as the rotation command does."""
    columns = [f.column for f in Victim._meta.concrete_fields if isinstance(f, EncryptedMixin)]
    count = rotate_table(
        table="cases_victim", pk="id", columns=columns, dry_run=False, blind_indexes=victim_blind_indexes
    )
    print(f"encrypted {count.plaintext} values of {count.rows} persons")


def _units_and_users() -> list[int]:
    """The unit tree and its officers (created once); return the ids of the inspectors."""
    groups = {role: Group.objects.get_or_create(name=str(role))[0] for role in Role}
    if not Unit.objects.filter(code="scale-mvd").exists():
        ministry = Unit.objects.create(code="scale-mvd", name="ИИМ", kind=Unit.Kind.MINISTRY)
        for o in range(OBLASTS):
            oblast = Unit.objects.create(code=f"scale-o{o}", name=f"Облус {o}", kind=Unit.Kind.OBLAST, parent=ministry)
            _user(f"scale-head-{o}", oblast, groups[Role.SUPERVISOR])
            for d in range(DISTRICTS_PER_OBLAST):
                district = Unit.objects.create(
                    code=f"scale-o{o}d{d}", name=f"Район {o}.{d}", kind=Unit.Kind.DISTRICT, parent=oblast
                )
                _user(f"scale-sup-{o}-{d}", district, groups[Role.SUPERVISOR])
                _user(f"scale-duty-{o}-{d}", district, groups[Role.DUTY_OFFICER])
                for i in range(INSPECTORS_PER_DISTRICT):
                    _user(f"scale-insp-{o}-{d}-{i}", district, groups[Role.INSPECTOR])
        _user("scale-intl", ministry, groups[Role.INTL_COOPERATION])
        User.objects.create(username="scale-admin", is_superuser=True, is_staff=True, unit=ministry)
        task_force = Group.objects.create(name="scale-task-force")
        _user("scale-task-force-member", ministry, groups[Role.INVESTIGATOR]).groups.add(task_force)
    return list(User.objects.filter(username__startswith="scale-insp-").order_by("pk").values_list("pk", flat=True))


def _user(username: str, unit: Unit, group: Group) -> User:
    user = User.objects.create(username=username, unit=unit)  # no usable password: measured through force_login
    user.groups.add(group)
    return user


def _insert_cases(cursor, cases: int, officers: list[int]) -> None:
    # Cases go to the inspectors unevenly (a power law): some districts and officers have many more than others.
    cursor.execute("CREATE TEMP TABLE scale_officer (idx int PRIMARY KEY, user_id bigint, unit_id bigint, code text)")
    cursor.execute(
        "INSERT INTO scale_officer SELECT row_number() OVER (ORDER BY u.id), u.id, u.unit_id, upper(un.code) "
        "FROM accounts_user u JOIN accounts_unit un ON un.id = u.unit_id WHERE u.id = ANY(%s)",
        [officers],
    )
    cursor.execute("SELECT coalesce(max(substring(number from '[0-9]+$')::int), 0) FROM cases_case")
    start = cursor.fetchone()[0]
    cursor.execute(
        """
        INSERT INTO cases_case (id, number, unit_id, created_by_id, assigned_officer_id, source, received_at,
            incident_at, incident_place, summary, country_origin, country_transit, country_destination, status,
            kbr_number, kbr_registered_at, created_at, updated_at, version)
        SELECT gen_random_uuid(), o.code || '-' || extract(year FROM p.received)::int || '-' || lpad(p.g::text, 7, '0'),
            o.unit_id, o.user_id, o.user_id,
            (ARRAY['own_duties','raid','citizen','victim','ngo','media','duty_unit','hotline_1899'])[1 + p.g %% 8],
            p.received, p.received - interval '3 days',
            (%(places)s::text[])[1 + p.g %% %(n_places)s] || ', ' || (%(streets)s::text[])[1 + p.g %% %(n_streets)s],
            '', p.g %% 3 = 0, p.g %% 7 = 0, p.g %% 5 = 0,
            (ARRAY['new','check','registered','referred','closed'])[1 + p.g %% 5], '', NULL,
            p.received, p.received, 1
        FROM (
            SELECT g, 1 + floor(%(officers)s * power(random(), 1.6))::int AS officer,
                   now() - random() * interval '5 years' AS received
            FROM generate_series(%(start)s + 1, %(start)s + %(cases)s) AS g
        ) p JOIN scale_officer o ON o.idx = p.officer
        """,
        {
            "start": start,
            "cases": cases,
            "officers": len(officers),
            "places": PLACES,
            "n_places": len(PLACES),
            "streets": STREETS,
            "n_streets": len(STREETS),
        },
    )
    cursor.execute("DROP TABLE scale_officer")


def _insert_victims(cursor) -> None:
    """One person per new case and a second one for every third; names from a small pool, so many are shared."""
    names = [(s + "а", f) for s in SURNAMES for f in FIRST_NAMES_FEMALE] + [
        (s, f) for s in SURNAMES for f in FIRST_NAMES_MALE
    ]
    cursor.execute(
        "CREATE TEMP TABLE scale_name (idx int PRIMARY KEY, last_name text, first_name text, key text, phonetic text)"
    )
    cursor.executemany(
        "INSERT INTO scale_name VALUES (%s, %s, %s, %s, %s)",
        [
            (i + 1, last, first, name_key(last, first), phonetic_key(last, first))
            for i, (last, first) in enumerate(names)
        ],
    )
    cursor.execute(
        """
        INSERT INTO cases_victim (id, case_id, last_name, first_name, patronymic, last_name_latin, first_name_latin,
            sex, date_of_birth, approximate_age, appears_minor, citizenship, foreign_status_documents,
            receiving_organisation, residence_address, temporary_residence_address, phone, other_contacts,
            id_document_type, id_document_number, identity_established_by, name_key, name_phonetic, phone_key,
            document_key, created_at, updated_at, version)
        SELECT gen_random_uuid(), c.id, n.last_name, n.first_name, '', '', '', 'female',
            date '1975-01-01' + (random() * 15000)::int, NULL, false, 'KG', '', '', '', '', v.phone, '', '',
            v.document, 'not_yet', n.key, n.phonetic, v.phone, v.document, c.created_at, c.created_at, 1
        FROM cases_case c
        CROSS JOIN LATERAL generate_series(1, CASE WHEN random() < 0.3 AND c.id IS NOT NULL THEN 2 ELSE 1 END) AS k
        CROSS JOIN LATERAL (
            SELECT 1 + floor(random() * %(names)s)::int AS name_idx,
                   '55' || lpad(floor(random() * 10000000)::text, 7, '0') AS phone,
                   'ID' || lpad(floor(random() * 10000000)::text, 7, '0') AS document
            WHERE k > 0
        ) v
        JOIN scale_name n ON n.idx = v.name_idx
        WHERE NOT EXISTS (SELECT 1 FROM cases_victim x WHERE x.case_id = c.id)
        """,
        {"names": len(names)},
    )
    cursor.execute("DROP TABLE scale_name")


def _insert_grants(cursor) -> None:
    """About one per-case grant per new case, to random officers (one in five a change grant), and group grants."""
    view = Permission.objects.get(codename="view_case", content_type__app_label="cases").pk
    change = Permission.objects.get(codename="change_case", content_type__app_label="cases").pk
    cursor.execute(
        """
        INSERT INTO cases_caseuserobjectpermission (permission_id, user_id, content_object_id)
        SELECT CASE WHEN random() < 0.2 THEN %(change)s ELSE %(view)s END, u.id, c.id
        FROM (SELECT id, row_number() OVER () AS r FROM cases_case c0
              WHERE NOT EXISTS (SELECT 1 FROM cases_caseuserobjectpermission p WHERE p.content_object_id = c0.id)
             ) c
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS r, count(*) OVER () AS n FROM accounts_user
              WHERE username LIKE 'scale-%%') u ON u.r = 1 + (c.r * 7919) %% u.n
        ON CONFLICT DO NOTHING
        """,
        {"view": view, "change": change},
    )
    cursor.execute(
        """
        INSERT INTO cases_casegroupobjectpermission (permission_id, group_id, content_object_id)
        SELECT %(view)s, g.id, c.id FROM auth_group g, cases_case c
        WHERE g.name = 'scale-task-force' AND random() < 0.01
        ON CONFLICT DO NOTHING
        """,
        {"view": view},
    )


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------
PERSONAS = {
    "oblast head": "scale-head-0",
    "district head": "scale-sup-0-0",
    "duty officer": "scale-duty-0-0",
    "inspector": "scale-insp-0-0-0",
    "officer with grants": "scale-insp-5-5-11",
    "task force (group grant)": "scale-task-force-member",
    "superuser": "scale-admin",
}


def measure(*, explain: bool, repeat: int, only: str = "") -> None:
    setup_test_environment()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        print(f"cases: {cursor.fetchone()[0]}")
    sample = _sample_victim()
    for label, username in PERSONAS.items():
        if only not in label:
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        for what, params in (
            ("list", {}),
            ("list page 3", {"page": 3}),
            ("search number", {"q": "O0D0-2024-00"}),
            ("search name", {"q": f"{sample['last_name']} {sample['first_name']}"}),
            ("search phone", {"q": sample["phone"]}),
        ):
            _time_request(client, reverse("cases:list"), params, f"{label}: {what}", explain=explain, repeat=repeat)
        _time_duplicates(User.objects.get(username=username), sample, label, repeat=repeat)


def _sample_victim() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.last_name, v.first_name, v.phone, v.date_of_birth FROM cases_victim v "
            "JOIN cases_case c ON c.id = v.case_id JOIN accounts_unit u ON u.id = c.unit_id "
            "WHERE u.code = 'scale-o0d0' ORDER BY v.id LIMIT 1"
        )
        last_name, first_name, phone, date_of_birth = cursor.fetchone()
    phone = encryption.decrypt(phone, purpose="phone")
    return {"last_name": last_name, "first_name": first_name, "phone": phone, "date_of_birth": date_of_birth}


def _time_request(client: Client, url: str, params: dict, label: str, *, explain: bool, repeat: int) -> None:
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    sql = [float(q["time"]) * 1000 for q in queries.captured_queries]
    print(
        f"{label:<48} {min(times) * 1000:8.1f} ms  {len(queries):3d} queries"
        f"  (SQL {sum(sql):.0f} ms, slowest {max(sql):.0f} ms)"
    )
    if explain:
        for query in queries.captured_queries:
            if query["sql"].startswith("SELECT") and "cases_case" in query["sql"]:
                _explain(query["sql"])


def _time_duplicates(user: User, sample: dict, label: str, *, repeat: int) -> None:
    from cases.selectors import victim_possible_duplicates

    misspelt = sample["last_name"][:-1] + "о"

    def run():
        return victim_possible_duplicates(
            user=user, names=(misspelt, sample["first_name"]), date_of_birth=sample["date_of_birth"]
        )

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
    print(
        f"{label + ': duplicate check':<48} {min(times) * 1000:8.1f} ms  {len(queries):3d} queries"
        f"  ({len(result.visible)} shown, {result.hidden_count} elsewhere)"
    )


def _explain(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        print("    " + sql[:300])
        for (line,) in cursor.fetchall():
            print("      " + line)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate").add_argument("--cases", type=int, default=100_000)
    measuring = commands.add_parser("measure")
    measuring.add_argument("--explain", action="store_true")
    measuring.add_argument("--repeat", type=int, default=5)
    measuring.add_argument("--only", default="", help="measure only the users whose label contains this")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        parser.error("needs PostgreSQL: set DATABASE_URL to a scratch database")
    if args.command == "generate":
        generate(args.cases)
    else:
        measure(explain=args.explain, repeat=args.repeat, only=args.only)


if __name__ == "__main__":
    main(sys.argv[1:])
