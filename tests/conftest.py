"""Shared fixtures: the standard cast of every access test, and the markers' skip rules."""

import os
import shutil

import pytest
from django.conf import settings
from django.db.backends.base.operations import BaseDatabaseOperations

from accounts.roles import Role

from .e2e.axe import AXE_MISSING_REASON, axe_is_installed
from .factories import TEST_PASSWORD, CaseFactory, UnitFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _flush_with_the_access_log(flush):
    """The test runner empties every table with TRUNCATE between transactional tests; the access log refuses TRUNCATE
    (cases migration access_log_purpose_denied_truncate) except in a test database whose transaction sets this flag."""

    def execute_sql_flush(self, sql_list):
        if self.connection.vendor == "postgresql":
            sql_list = ["SET LOCAL cases.access_log_test_flush = 'on'", *sql_list]
        return flush(self, sql_list)

    return execute_sql_flush


BaseDatabaseOperations.execute_sql_flush = _flush_with_the_access_log(BaseDatabaseOperations.execute_sql_flush)


def pytest_collection_modifyitems(config, items):
    """Skip, visibly and with the reason, what this machine's services cannot run."""
    is_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)")
    skip_worker = pytest.mark.skip(reason="needs Redis and a real Celery worker: set REDIS_URL (CI does)")
    skip_browser = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: install Debian's chromium package (CI does)")
    has_browser = shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM)
    # Every browser test checks the pages it visits with axe-core (tests/e2e/axe.py).
    skip_axe = pytest.mark.skip(reason=AXE_MISSING_REASON)
    for item in items:
        if "postgres" in item.keywords and not is_postgres:
            item.add_marker(skip_pg)
        if "celery_worker" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(skip_worker)
        if "browser" in item.keywords and not has_browser:
            item.add_marker(skip_browser)
        elif "browser" in item.keywords and not axe_is_installed():
            item.add_marker(skip_axe)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: rate-limit counters are keyed by user ids, which tests reuse."""
    from django.core.cache import cache

    from accounts import throttle

    cache.clear()
    throttle._fallback.clear()


@pytest.fixture(autouse=True)
def _otp_off_unless_marked(request, settings):
    """Two-factor sign-in off, except in tests marked `@pytest.mark.otp`.

    The tests run with the production switches, where OTP_REQUIRED is on; the thousands of tests that sign in with
    `client.force_login(user)` would then meet the code step on every page (403 otp_required on the API). What they
    test is what a signed-in user may do, which is the same with or without the code step; the code step itself is
    tested in tests/accounts/test_otp.py (and in tests/e2e/test_otp_flows.py), marked `otp`, with it on.
    """
    if request.node.get_closest_marker("otp") is None:
        settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _celery_eager_unless_a_real_worker_is_wanted(request):
    """Run tasks in the test's own process, even when REDIS_URL is set (CI), except in the real-worker tests."""
    from trafficking_cms.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def ministry(db):
    return UnitFactory(code="mvd", name="ИИМ", kind="ministry", parent=None)


@pytest.fixture
def oblast(ministry):
    return UnitFactory(code="chui", name="Чүй облустук ИИБ", kind="oblast", parent=ministry)


@pytest.fixture
def district(oblast):
    return UnitFactory(code="alamudun", name="Аламүдүн ИИБ", kind="district", parent=oblast)


@pytest.fixture
def other_district(oblast):
    return UnitFactory(code="sokuluk", name="Сокулук ИИБ", kind="district", parent=oblast)


@pytest.fixture
def far_district(ministry):
    osh = UnitFactory(code="osh", name="Ош облустук ИИБ", kind="oblast", parent=ministry)
    return UnitFactory(code="kara-suu", name="Кара-Суу ИИБ", kind="district", parent=osh)


@pytest.fixture
def owner(district):
    """The inspector who opened the case."""
    return UserFactory(unit=district, roles=[Role.INSPECTOR])


@pytest.fixture
def colleague(district):
    """Another inspector of the same district: not assigned, so sees nothing of the owner's cases."""
    return UserFactory(unit=district, roles=[Role.INSPECTOR])


@pytest.fixture
def duty_officer(district):
    return UserFactory(unit=district, roles=[Role.DUTY_OFFICER])


@pytest.fixture
def outsider(other_district):
    """An officer of another district, who must see nothing."""
    return UserFactory(unit=other_district, roles=[Role.INSPECTOR, Role.DUTY_OFFICER])


@pytest.fixture
def supervisor(district):
    return UserFactory(unit=district, roles=[Role.SUPERVISOR])


@pytest.fixture
def oblast_head(oblast):
    return UserFactory(unit=oblast, roles=[Role.SUPERVISOR])


@pytest.fixture
def analyst(ministry):
    return UserFactory(unit=ministry, roles=[Role.ANALYST])


@pytest.fixture
def case(owner):
    return CaseFactory(created_by=owner)


@pytest.fixture
def client_for(client):
    """Log a user in and return the client."""

    def login(user):
        client.force_login(user)
        return client

    return login


def pytest_terminal_summary(terminalreporter):
    """List the figures the fault tests (tests/accounts/test_outbox_faults.py) and the access matrix
    (tests/security/test_access_matrix.py) recorded, so CI logs show them.

    Here and not in tests/accounts/conftest.py: with xdist the controller, which writes the summary, collects no test
    and loads only this conftest."""
    titles = {"fault_figures": "outbox fault figures", "matrix_figures": "access matrix figures"}
    for property_name, title in titles.items():
        lines = [
            f"{report.nodeid.rsplit('::', 1)[-1]}: " + " ".join(f"{key}={value}" for key, value in figures.items())
            for outcome in ("passed", "failed")
            for report in terminalreporter.stats.get(outcome, [])
            if report.when == "call"
            for name, figures in report.user_properties
            if name == property_name
        ]
        if lines:
            terminalreporter.write_sep("-", title)
            for line in lines:
                terminalreporter.write_line(line)
    _matrix_summary(terminalreporter)
    _fuzz_summary(terminalreporter)


def _matrix_summary(terminalreporter) -> None:
    """Add up what the access matrix's tests walked (tests/security/test_access_matrix.py), from every xdist worker."""
    totals = {"project_patterns_walked": 0, "requests": 0, "leaks": 0, "server_errors": 0}
    objects: set[str] = set()
    seen = False
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for name, counts in getattr(report, "user_properties", ()):
                if name != "matrix_counts":
                    continue
                seen = True
                totals["project_patterns_walked"] += counts["patterns"]
                for key in ("requests", "leaks", "server_errors"):
                    totals[key] += counts[key]
                objects.update(counts["objects"])
    if seen:
        terminalreporter.write_line(
            "access matrix walked: "
            + " ".join(f"{key}={value}" for key, value in totals.items())
            + f" object_variants={len(objects)}"
        )


def _fuzz_summary(terminalreporter) -> None:
    """Add up what the fuzzers ran (tests/test_fuzz_*.py record it per test, from every xdist worker too)."""
    totals: dict[str, float] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name.startswith("fuzz_"):
                    totals[name] = totals.get(name, 0) + value
    if not totals:
        return
    terminalreporter.write_line(
        "fuzzing: "
        f"{int(totals.get('fuzz_api_cases', 0))} schema-generated API requests "
        f"({int(totals.get('fuzz_api_server_errors', 0))} server errors, {totals.get('fuzz_api_seconds', 0):.0f} s), "
        f"{int(totals.get('fuzz_headers_cases', 0))} malformed credential and signature headers "
        f"({int(totals.get('fuzz_headers_server_errors', 0))} server errors, "
        f"{totals.get('fuzz_headers_seconds', 0):.0f} s)"
    )
