"""The benchmark suite of issue 13: `python -m bench [--smoke] [--only B2,B3] [--no-seed]`.

Runs on a PostgreSQL database of its own: the database of DATABASE_URL with the name `bench` (or `bench_smoke`), created
when missing, migrated, and seeded by `manage.py seed_scale` only when it holds fewer cases than asked (so a second run
is fast). Imports every `bench/b*_*.py` module, calls its `run(ctx)`, prints one `BENCH …` line per result, and exits 1
when any result is FAIL or a benchmark crashed (a crash prints `BENCH <module> crashed … FAIL`).
`--report-only` prints the lines but exits 0 on FAIL (crashes still exit 1): what `make bench-smoke` in CI uses.
"""

import argparse
import importlib
import os
import pkgutil
import re
import sys
import time
import traceback
from pathlib import Path

FULL = {"cases": 100_000, "persons": 1_000_000}
SMOKE = {"cases": 1_000, "persons": 10_000}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="1,000 cases and 10,000 persons, fewer repetitions")
    parser.add_argument("--only", default="", help="comma-separated ids, e.g. B2,B3")
    parser.add_argument("--cases", type=int, help="override the number of cases")
    parser.add_argument("--persons", type=int, help="override the number of persons")
    parser.add_argument("--no-seed", action="store_true", help="use the database as it is")
    parser.add_argument("--report-only", action="store_true", help="exit 0 on FAIL lines (not on crashes)")
    return parser.parse_args(argv)


def bench_database_url(url: str, name: str) -> str:
    """DATABASE_URL with its database name replaced by `name` (refuses anything but PostgreSQL)."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "The benchmarks need PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench (REDIS_URL too for B7)"
        )
    base, _, _ = url.rpartition("/")
    query = url.partition("?")[2]
    return f"{base}/{name}" + (f"?{query}" if query else "")


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg2

    name = urlparse(url).path.lstrip("/").partition("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                # UTF-8 with a UTF-8 collation: the trigram search needs it
                cursor.execute(
                    f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
                    "TEMPLATE template0"
                )
                print(f"created database {name}", flush=True)
    finally:
        conn.close()


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(
        (m.name for m in pkgutil.iter_modules([str(here)]) if re.fullmatch(r"b\d+_\w+", m.name)),
        key=lambda n: int(n[1 : n.index("_")]),
    )


def selected(module_name: str, only: set[str]) -> bool:
    return not only or module_name.split("_", 1)[0].upper() in only


def run_modules(ctx, names: list[str], only: set[str]) -> tuple[list, list[str]]:
    """Run each benchmark; return the results and the names of the modules that crashed."""
    results, crashed = [], []
    for name in names:
        if not selected(name, only):
            continue
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            module_results = list(module.run(ctx))
        except Exception as error:  # a crash is reported as a line of its own and fails the run
            traceback.print_exc()
            crashed.append(name)
            print(f"BENCH {name.split('_', 1)[0].upper()} {name} crashed: {type(error).__name__} FAIL", flush=True)
            continue
        for result in module_results:
            print(result.line(), flush=True)
        print(f"  ({name}: {time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)
        results.extend(module_results)
    return results, crashed


def exit_code(results: list, crashed: list[str], *, report_only: bool) -> int:
    if crashed:
        return 1
    if report_only:
        return 0
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    size = dict(SMOKE if args.smoke else FULL)
    if args.cases:
        size["cases"] = args.cases
    if args.persons:
        size["persons"] = args.persons
    name = os.environ.get("BENCH_DATABASE") or ("bench_smoke" if args.smoke else "bench")
    url = bench_database_url(os.environ.get("DATABASE_URL", ""), name)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings")
    os.environ.setdefault("TESTING", "1")
    os.environ.setdefault("OTP_REQUIRED", "0")  # measured signed in with force_login, like the tests: no code step
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.core import Context

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        have = cursor.fetchone()[0]
    if not args.no_seed and have < size["cases"]:
        print(f"seeding: {have} cases in the database, {size['cases']} asked", flush=True)
        call_command("seed_scale", cases=size["cases"] - have, persons=size["persons"], history_edits=10)
    setup_test_environment()
    ctx = Context(cases=size["cases"], persons=size["persons"], smoke=args.smoke)
    only = {part.strip().upper() for part in args.only.split(",") if part.strip()}
    results, crashed = run_modules(ctx, discover(), only)
    return exit_code(results, crashed, report_only=args.report_only)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
