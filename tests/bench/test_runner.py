"""The benchmark runner's verdicts and exit code (no database needed)."""

import pytest

from bench.__main__ import bench_database_url, exit_code, selected
from bench.core import Result


def test_a_fail_line_makes_the_run_exit_non_zero():
    ok = Result("B1", "x", 1, ">=", 0.6)
    fail = Result("B2", "y", 9, "<=", 6)
    assert ok.line().endswith(" ok")
    assert "FAIL" in fail.line()
    assert exit_code([ok], [], report_only=False) == 0
    assert exit_code([ok, fail], [], report_only=False) == 1
    assert exit_code([ok, fail], [], report_only=True) == 0
    assert exit_code([ok], ["b3_screening_save"], report_only=True) == 1


def test_only_and_database_name():
    assert selected("b2_case_list", {"B2"}) and not selected("b3_x", {"B2"}) and selected("b3_x", set())
    assert bench_database_url("postgres://u@h:5432/test", "bench") == "postgres://u@h:5432/bench"
    with pytest.raises(SystemExit):
        bench_database_url("sqlite:///x.db", "bench")


def test_seed_scale_refuses_sqlite_with_a_clear_message():
    from django.core.management import CommandError, call_command
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("checks the refusal on SQLite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("seed_scale", cases=1)
