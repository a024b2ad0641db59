"""Benchmarks: each prints a ratio against a baseline measured in the same run, on the same machine.

Run with `make bench`. Ratios, not seconds, are what to compare between commits.
"""

import os
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings")
os.environ.setdefault("TESTING", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import get_runner  # noqa: E402


def best_of(func: Callable[[], object], *, repeat: int = 5, number: int = 200) -> float:
    """Return the best mean time of `number` calls over `repeat` rounds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def report(name: str, measured: float, baseline: float, baseline_name: str) -> None:
    print(f"{name:<48} {measured / baseline:8.2f} x  ({baseline_name})")


def bench_qualify() -> None:
    from screening.qualification import qualify

    facts = {
        "act_date": "2026-05-01",
        "victim_date_of_birth": "2009-03-02",
        "acts": ["recruitment", "transportation"],
        "means": ["deception", "abuse_of_vulnerability"],
        "purposes": ["sexual_exploitation"],
        "moved_across_kr_border": True,
        "vulnerability_evidenced": True,
        "vulnerability_abuse_evidenced": True,
    }
    baseline = best_of(lambda: sorted(dict(facts).items(), key=str), number=2000)
    measured = best_of(lambda: qualify(facts, "ky"), number=2000)
    report("qualify() with a Kyrgyz explanation", measured, baseline, "copying and sorting the facts")


def bench_scope(cases_per_unit: int = 300) -> None:
    from accounts.roles import Role
    from cases.models import Case
    from cases.selectors import case_list_visible_to
    from tests.factories import CaseFactory, UnitFactory, UserFactory

    ministry = UnitFactory(kind="ministry")
    oblast = UnitFactory(kind="oblast", parent=ministry)
    districts = [UnitFactory(kind="district", parent=oblast) for _ in range(4)]
    officers = [UserFactory(unit=d, roles=[Role.INSPECTOR]) for d in districts]
    for officer in officers:
        CaseFactory.create_batch(cases_per_unit, created_by=officer)
    head = UserFactory(unit=oblast, roles=[Role.SUPERVISOR])
    unit_ids = [d.pk for d in districts] + [oblast.pk]

    def baseline_query() -> list:
        return list(Case.objects.filter(unit_id__in=unit_ids).order_by("-received_at")[:25])

    def scoped_query() -> list:
        head.__dict__.pop("_role_names", None)
        return list(case_list_visible_to(user=head).order_by("-received_at")[:25])

    assert len(scoped_query()) == len(baseline_query()) == 25
    report(
        f"case list page, oblast head, {4 * cases_per_unit} cases",
        best_of(scoped_query, number=50),
        best_of(baseline_query, number=50),
        "unscoped query by unit ids",
    )


def main() -> None:
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        print(f"database: {connection.vendor}")
        bench_qualify()
        bench_scope()
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
