"""B2 case list for a supervisor (the oblast head of the seeded tree) against the whole seeded data set.

(a) queries of the case-list page (CaptureQueriesContext): ≤ 6, and the same on the first and a later page.
(b) median time with the whole per-case permission table vs with only 10,000 of its rows: ≤ 1.5×. Both in the same
    run, same user, same cases: the second state deletes all but 10,000 rows of cases_caseuserobjectpermission inside
    a transaction, ANALYZEs, measures, and rolls back.
"""

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.core import Context, Result, median_seconds

SMALL = 10_000


class _Rollback(Exception):
    pass


def run(ctx: Context) -> list[Result]:
    from accounts.models import User

    head = User.objects.get(username="scale-head-0")
    client = Client()
    client.force_login(head)
    url = reverse("cases:list")
    counts = {}
    for page in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": page})
        assert response.status_code == 200, response.status_code
        counts[page] = len(queries)
    repeat = 10 if ctx.smoke else 30
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_caseuserobjectpermission")
        grants = cursor.fetchone()[0]
    full = median_seconds(lambda: client.get(url), repeat=repeat)
    small = None
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM cases_caseuserobjectpermission WHERE id NOT IN "
                    "(SELECT id FROM cases_caseuserobjectpermission ORDER BY id LIMIT %s)",
                    [SMALL],
                )
                cursor.execute("ANALYZE cases_caseuserobjectpermission")
            small = median_seconds(lambda: client.get(url), repeat=repeat)
            raise _Rollback
    except _Rollback:
        pass
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_caseuserobjectpermission")
    return [
        Result("B2a", "case_list_queries", max(counts.values()), "<=", 6, f"page 1: {counts[1]}, page 3: {counts[3]}"),
        Result(
            "B2b",
            "case_list_queries_constant",
            abs(counts[1] - counts[3]),
            "<=",
            0,
            "difference of the query counts between page 1 and page 3",
        ),
        Result(
            "B2c",
            "case_list_time_full_vs_10k_grants",
            full / small,
            "<=",
            1.5,
            f"{grants} grants {full * 1000:.1f} ms, {min(grants, SMALL)} grants {small * 1000:.1f} ms (medians)",
        ),
    ]
