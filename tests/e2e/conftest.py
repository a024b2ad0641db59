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


@pytest.fixture
def demo_data(live_server, django_db_serialized_rollback, monkeypatch, tmp_path):
    """The demo units, users and cases of `seed_demo`, committed so the live server sees them.

    The live server needs committed rows, so each test's rows are flushed afterwards; the serialized rollback puts back
    what data migrations loaded (the country list), which a flush would otherwise wipe for the next test.
    """
    monkeypatch.setenv("TESTING", "1")  # seed_demo refuses to run outside debug, demo or test mode
    # seed_demo writes var/demo-credentials.json under BASE_DIR: keep the developer's real file untouched.
    with override_settings(BASE_DIR=tmp_path):
        call_command("seed_demo", stdout=io.StringIO())
    return live_server


@pytest.fixture
def new_context(browser, request):
    """Open browser contexts for the test (several users at once); all closed at the end."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", BROWSER_LOCALE)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def login(demo_data):
    """Sign a page in through the real login form with the demo password; returns the page, now on the case list."""

    def sign_in(page, username: str):
        page.goto(f"{demo_data.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("form[action$='/login/'] button[type=submit]")
        assert "/login/" not in page.url, f"{username} could not log in"
        return page

    return sign_in


@pytest.fixture
def shot():
    """Save a full-page screenshot under test-results/e2e/ with a descriptive name."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
