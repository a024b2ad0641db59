"""Browser tests: one headless Chromium per session, a fresh context per test, demo data in the live-server DB.

Playwright's sync API keeps an asyncio loop running in the main thread, so Django's ORM in the test thread would raise
SynchronousOnlyOperation; the ORM calls here are plain synchronous test code, hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from trafficking_cms.management.commands.seed_demo import DEMO_PASSWORD

from .axe import AxeAudit
from .snapshot import DemoSnapshot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-results" / "e2e"
DESKTOP = {"width": 1280, "height": 900}
# Officers' browsers ask for Kyrgyz first; the Accept-Language header decides the language until a choice is saved.
BROWSER_LOCALE = "ky-KG"


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    playwright = sync_playwright().start()
    # While Playwright's loop runs in this thread, asgiref hands the thread fresh DB connection objects (same test
    # database); carry over what the test-database setup serialized, so `django_db_serialized_rollback` still works.
    for alias, contents in serialized.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="session")
def _media_url_for_live_server():
    """Django's live server cannot start its media handler on MEDIA_URL = None (the project serves no public media:
    attachments go through permission-checked views), so give it a path no view uses while the browser tests run."""
    previous = settings.MEDIA_URL
    settings.MEDIA_URL = "/__no-public-media__/"
    yield
    settings.MEDIA_URL = previous


@pytest.fixture(scope="session")
def live_server(_media_url_for_live_server, live_server):
    return live_server


@pytest.fixture(scope="session")
def _demo_snapshot():
    return DemoSnapshot()


@pytest.fixture
def demo_data(live_server, django_db_serialized_rollback, _demo_snapshot, monkeypatch, tmp_path, tmp_path_factory):
    """The demo units, users and cases of `seed_demo`, committed so the live server sees them.

    The live server needs committed rows, so each test's rows are flushed afterwards; the serialized rollback puts back
    what data migrations loaded (the country list), which a flush would otherwise wipe for the next test. The demo is
    seeded by the first browser test and copied back for the others (tests/e2e/snapshot.py).
    """
    if _demo_snapshot.taken:
        _demo_snapshot.restore(settings.MEDIA_ROOT)
        return live_server
    monkeypatch.setenv("TESTING", "1")  # seed_demo refuses to run outside debug, demo or test mode
    # seed_demo writes var/demo-credentials.json under BASE_DIR: keep the developer's real file untouched.
    with override_settings(BASE_DIR=tmp_path):
        call_command("seed_demo", stdout=io.StringIO())
    _demo_snapshot.take(settings.MEDIA_ROOT, tmp_path_factory.mktemp("demo-snapshot"))
    return live_server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can tell at teardown whether the test itself failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def axe():
    """The test's accessibility audit: `axe.check(page)` runs axe-core on the page as it is now (see tests/e2e/axe.py).

    Every document a page of the test loads must be checked once: `shot` checks before it saves, `login` checks the
    login form and the first page; at the end the pages still open are checked as they are if they were not yet, and a
    document that was loaded and left without any check fails the test, so no visited page escapes.
    """
    return AxeAudit()


@pytest.fixture
def new_context(browser, request, axe):
    """Open browser contexts for the test (several users at once); all closed at the end."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", BROWSER_LOCALE)
        # axe-core is added to each page as an inline script, which the Content-Security-Policy refuses: these contexts
        # bypass the policy (tests/e2e/test_csp_flows.py enforces it, in contexts of its own, without axe).
        options.setdefault("bypass_csp", True)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.on("page", axe.watch)
        contexts.append(context)
        return context

    yield make
    try:
        call = getattr(request.node, "report_call", None)
        if call is not None and call.passed:
            for context in contexts:
                for open_page in context.pages:
                    if open_page.url.startswith("http") and not axe.was_checked(open_page.url):
                        axe.check(open_page)
            unchecked = axe.unchecked()
            assert not unchecked, "pages loaded but never checked with axe (call axe.check(page) or shot(page, …) "
            "while each is shown):\n" + "\n".join(unchecked)
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def login(demo_data, axe):
    """Sign a page in through the real login form with the demo password; returns the page, now on the case list
    (asked for with `?next=`), or with `first_page=True` on the page the role lands on after signing in (an officer's
    due items, the 1899 desk's calls, …).

    axe checks the login form and the page the user lands on."""

    def sign_in(page, username: str, *, first_page: bool = False):
        page.goto(f"{demo_data.url}/login/" + ("" if first_page else "?next=/cases/"))
        axe.check(page)
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("form[action$='/login/'] button[type=submit]")
        assert "/login/" not in page.url, f"{username} could not log in"
        axe.check(page)
        return page

    return sign_in


@pytest.fixture
def shot(axe):
    """Save a full-page screenshot under test-results/e2e/ with a descriptive name, then check the page with axe."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        axe.check(page)
        return path

    return take
