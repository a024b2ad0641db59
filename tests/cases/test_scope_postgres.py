"""The case list's queries on PostgreSQL use indexes, not a scan of every case, once there are many cases.

The planner picks a plan from the table's statistics, so the test writes enough cases (bulk, without history) and runs
ANALYZE; with a few rows a sequential scan is the right plan and would prove nothing. Skipped on SQLite.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.models import Unit
from accounts.roles import Role
from cases.models import Case
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OBLASTS = 8
DISTRICTS_PER_OBLAST = 4
CASES = 32_000


@pytest.fixture
def many_cases(ministry):
    """32,000 cases spread evenly over 32 districts of 8 oblasts, one inspector each; statistics up to date."""
    inspectors = []
    for _ in range(OBLASTS):
        oblast = UnitFactory(kind=Unit.Kind.OBLAST, parent=ministry)
        for _ in range(DISTRICTS_PER_OBLAST):
            district = UnitFactory(kind=Unit.Kind.DISTRICT, parent=oblast)
            inspectors.append(UserFactory(unit=district, roles=[Role.INSPECTOR]))
    with connection.cursor() as cursor:
        # One set-based INSERT: creating 32,000 model instances in Python would take most of the test's time.
        cursor.execute(
            """
            INSERT INTO cases_case (id, number, unit_id, created_by_id, assigned_officer_id, source, received_at,
                incident_place, summary, country_origin, country_transit, country_destination, status, kbr_number,
                created_at, updated_at, version)
            SELECT gen_random_uuid(), 'EXPLAIN-' || lpad(n::text, 6, '0'), i.unit_id, i.user_id, i.user_id, 'citizen',
                now() - n * interval '1 minute', 'Place ' || n %% 500, '', false, false, false, 'new', '',
                now(), now(), 1
            FROM generate_series(0, %(cases)s - 1) AS n
            JOIN unnest(%(users)s::bigint[], %(units)s::bigint[]) WITH ORDINALITY AS i(user_id, unit_id, k)
              ON i.k = 1 + n %% %(inspectors)s
            """,
            {
                "cases": CASES,
                "users": [inspector.pk for inspector in inspectors],
                "units": [inspector.unit_id for inspector in inspectors],
                "inspectors": len(inspectors),
            },
        )
    with connection.cursor() as cursor:
        # A bulk INSERT leaves the new rows of the trigram (GIN) indexes in their pending list until a VACUUM, which
        # cannot run inside the test's transaction (and autovacuum may be off on the machine): the planner counts the
        # pending list into an index scan's cost and would scan the table. Merge it as autovacuum would.
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid::regclass) FROM pg_index "
            "JOIN pg_class ON pg_class.oid = indexrelid JOIN pg_am ON pg_am.oid = pg_class.relam "
            "WHERE indrelid = 'cases_case'::regclass AND amname = 'gin'"
        )
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_caseuserobjectpermission")
        cursor.execute("ANALYZE cases_casegroupobjectpermission")
    return inspectors


def _case_queries_of_the_list_page(client, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:list"), params or {})
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0
    # The menu's count of overdue due items reads cases only inside its subquery of the user's scope: not a read of
    # the list's cases.
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "cases_case"' in q["sql"] and not q["sql"].startswith('SELECT COUNT("screening_obligation"')
    ]


def _plan_nodes(sql: str) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return nodes


def _assert_cases_read_through_an_index(sql: str) -> None:
    on_cases = [node for node in _plan_nodes(sql) if node.get("Relation Name") == "cases_case"]
    kinds = {node["Node Type"] for node in on_cases}
    assert on_cases, sql
    assert "Seq Scan" not in kinds, f"every case is scanned: {kinds}\n{sql}"
    assert kinds <= {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"}, kinds


@pytest.mark.parametrize("role", [Role.DUTY_OFFICER, Role.SUPERVISOR, Role.INSPECTOR])
def test_the_case_list_of_a_district_officer_reads_cases_through_an_index(client_for, many_cases, role):
    inspector = many_cases[0]
    officer = inspector if role == Role.INSPECTOR else UserFactory(unit=inspector.unit, roles=[role])
    assign_perm("view_case", officer, Case.objects.filter(unit_id=many_cases[5].unit_id).first())

    queries = _case_queries_of_the_list_page(client_for(officer))

    assert len(queries) == 2  # the paginator's count and the page
    for sql in queries:
        _assert_cases_read_through_an_index(sql)


def test_the_case_list_of_an_oblast_head_reads_cases_through_an_index(client_for, many_cases):
    head = UserFactory(unit=many_cases[0].unit.parent, roles=[Role.SUPERVISOR])

    queries = _case_queries_of_the_list_page(client_for(head))

    assert len(queries) == 2
    for sql in queries:
        _assert_cases_read_through_an_index(sql)


def test_the_case_list_of_an_officer_with_grants_only_reads_cases_through_an_index(client_for, many_cases):
    from django.contrib.auth.models import Group

    analyst = UserFactory(unit=many_cases[0].unit, roles=[Role.ANALYST])
    team = Group.objects.create(name="joint-team")
    analyst.groups.add(team)
    for case in Case.objects.order_by("number")[:20]:
        assign_perm("view_case", analyst, case)
    for case in Case.objects.order_by("-number")[:20]:
        assign_perm("view_case", team, case)

    queries = _case_queries_of_the_list_page(client_for(analyst))

    for sql in queries:
        _assert_cases_read_through_an_index(sql)


@pytest.mark.parametrize("typed", ["EXPLAIN-0012", "Place 42", "Асанова", "0555 123 456"])
def test_the_case_search_reads_cases_through_an_index(client_for, many_cases, typed):
    head = UserFactory(unit=many_cases[0].unit.parent, roles=[Role.SUPERVISOR])

    with CaptureQueriesContext(connection) as queries:
        response = client_for(head).get(reverse("cases:list"), {"q": typed})

    assert response.status_code == 200
    for sql in [q["sql"] for q in queries.captured_queries if 'FROM "cases_case"' in q["sql"]]:
        _assert_cases_read_through_an_index(sql)


@pytest.fixture
def many_cases_with_due_items(many_cases):
    """A screening on every third case, with one overdue and one future open item, and a done one.

    Set-based INSERTs again: the screenings copy one made through the ORM, so every column keeps its default.
    """
    from screening.models import Screening

    first = Case.objects.order_by("number").first()
    template = Screening.objects.create(case=first, created_by_id=first.created_by_id, verdict="art_166")
    columns = [field.column for field in Screening._meta.concrete_fields]
    own = {"id": "gen_random_uuid()", "case_id": "c.id", "created_by_id": "c.created_by_id"}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO screening_screening ({", ".join(columns)})
            SELECT {", ".join(own.get(column, f"t.{column}") for column in columns)}
            FROM screening_screening t,
                 (SELECT id, created_by_id, row_number() OVER (ORDER BY number) - 1 AS n FROM cases_case) c
            WHERE t.id = %s AND c.n %% 3 = 0 AND c.id <> t.case_id
            """,  # noqa: S608 - the model's own column names
            [template.pk],
        )
        # For the n-th screening: the rapport overdue by 1 to 50 hours, the notice to КИБ due in 0 to 69 hours, and
        # a done notice to the NGO, which counts neither as next nor as overdue.
        cursor.execute(
            """
            INSERT INTO screening_obligation (id, case_id, screening_id, code, due_at, basis, deadline_rule,
                incident_time_unknown, status, done_at, done_by_id, note, created_at, addressee)
            SELECT gen_random_uuid(), s.case_id, s.id, item.code, now() + item.hours * interval '1 hour',
                'project_policy', 'policy_hours', false, item.status, NULL, NULL, '', now(), ''
            FROM (SELECT id, case_id, row_number() OVER (ORDER BY case_id) - 1 AS n FROM screening_screening) s
            CROSS JOIN LATERAL (VALUES
                ('rapport_registration', -(s.n % 50) - 1, 'open'),
                ('notify_kib', s.n % 70, 'open'),
                ('inform_ngo', -5, 'done')
            ) AS item(code, hours, status)
            """
        )
        cursor.execute("ANALYZE screening_screening")
        cursor.execute("ANALYZE screening_obligation")
    return many_cases


# One data set per role for every sort and filter: building 32,000 cases with their due items takes seconds.
SORTS_AND_FILTERS = [{"sort": "due"}, {"sort": "status"}, {"overdue": "on"}, {"unassigned": "on", "sort": "due"}]


@pytest.mark.parametrize("role", [Role.DUTY_OFFICER, "oblast_head"])
def test_the_sorted_and_filtered_case_list_reads_cases_through_an_index(client_for, many_cases_with_due_items, role):
    inspector = many_cases_with_due_items[0]
    if role == "oblast_head":
        user = UserFactory(unit=inspector.unit.parent, roles=[Role.SUPERVISOR])
    else:
        user = UserFactory(unit=inspector.unit, roles=[role])
    some = Case.objects.filter(unit=inspector.unit).values_list("pk", flat=True)[:40]
    Case.objects.filter(pk__in=list(some)).update(assigned_officer=None)  # for the "unassigned" filter

    for params in SORTS_AND_FILTERS:
        queries = _case_queries_of_the_list_page(client_for(user), params)

        # the paginator's count and the page: the due items are subqueries of the page's query
        assert len(queries) == 2, params
        for sql in queries:
            _assert_cases_read_through_an_index(sql)
