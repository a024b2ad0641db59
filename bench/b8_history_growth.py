"""B8 history growth: the case history table after the seeded edits, and a case page with 50 versions.

(a) pg_total_relation_size of cases_historicalcase ≤ 2× that of cases_case (the seed writes 10 history rows per case:
    a creation and 9 changes, each a full copy of the row as simple-history writes it). Every version being a full
    copy, the ratio grows linearly with the edits; the target only holds if history rows are narrow (compressed TOAST,
    no text copies) — the value shows where it stands.
(b) the case detail page (with its timeline) for a case with 50 versions: median ≤ 20 ms.
"""

from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.core import Context, Result, median_seconds


def run(ctx: Context) -> list[Result]:
    from accounts.models import User
    from cases.models import Case

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('cases_historicalcase'), pg_total_relation_size('cases_case'), "
            "(SELECT count(*) FROM cases_historicalcase), (SELECT count(*) FROM cases_case)"
        )
        history_bytes, case_bytes, history_rows, case_rows = cursor.fetchone()
    results = [
        Result(
            "B8a",
            "history_bytes_vs_base_table",
            history_bytes / max(case_bytes, 1),
            "<=",
            2,
            f"history {history_bytes / 1e6:.1f} MB ({history_rows} rows), cases {case_bytes / 1e6:.1f} MB "
            f"({case_rows} rows)",
        )
    ]
    admin = User.objects.get(username="scale-head-0")
    case = Case.objects.filter(unit__parent=admin.unit).order_by("pk").first()
    versions = case.history.count()
    for i in range(max(0, 50 - versions)):
        case.summary = f"edit {i}"
        case.save()
    versions = case.history.count()
    client = Client()
    client.force_login(admin)
    url = reverse("cases:detail", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    seconds = median_seconds(lambda: client.get(url), repeat=10 if ctx.smoke else 30)
    results.append(
        Result("B8b", "case_detail_ms_50_versions", seconds * 1000, "<=", 20, f"{versions} versions, oblast head")
    )
    return results
