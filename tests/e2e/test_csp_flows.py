"""The Content-Security-Policy in a real browser: the main pages, their htmx requests and the API documentation, as
the demo supervisor and inspector, with no violation at all (an inline script or style, an eval, a foreign source).

The browser context here enforces the policy (the other browser tests bypass it: axe-core is injected inline), and
every violation is caught twice: the `securitypolicyviolation` events of each document and the console's "Refused to".
"""

import pytest
from django.urls import reverse

from cases.models import Case, Victim
from trafficking_cms.management.commands.seed_demo import DEMO_PASSWORD

from .conftest import BROWSER_LOCALE, DESKTOP, SCREENSHOTS

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Visit:
    """A browser page that enforces the policy and keeps what it refused."""

    def __init__(self, browser, base_url: str) -> None:
        self.context = browser.new_context(viewport=DESKTOP, locale=BROWSER_LOCALE)
        self.context.set_default_timeout(10_000)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.refused: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.refused.append(message.text)
                if "Refused to" in message.text or "Content Security Policy" in message.text
                else None
            ),
        )

    def open(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert "object-src 'none'" in response.headers["content-security-policy"], path
        self.page.wait_for_load_state("networkidle")
        self.check(path)

    def check(self, where: str) -> None:
        events = self.page.evaluate("() => window.__cspViolations || []")
        assert events == [] and self.refused == [], (where, events, self.refused)

    def sign_in(self, username: str) -> None:
        self.page.goto(f"{self.base_url}/login/?next=/cases/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form[action$='/login/'] button[type=submit]")
        assert "/login/" not in self.page.url, f"{username} could not sign in"
        self.check("login")


@pytest.fixture
def visit(browser, demo_data):
    visits = []

    def make() -> Visit:
        visits.append(Visit(browser, demo_data.url))
        return visits[-1]

    yield make
    for one in visits:
        one.context.close()


def _case_with_a_victim(unit_code: str, username: str | None = None) -> tuple[Case, Victim]:
    victims = Victim.objects.filter(case__unit__code=unit_code).select_related("case")
    if username:
        victims = victims.filter(case__created_by__username=username) | victims.filter(
            case__assigned_officer__username=username
        )
    victim = victims.order_by("case__created_at").first()
    assert victim is not None
    return victim.case, victim


def test_the_supervisors_pages_break_no_rule_of_the_policy(visit):
    case, victim = _case_with_a_victim("alamudun")
    browser_page = visit()
    browser_page.sign_in("supervisor")

    for path in [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:victim_detail", args=[victim.pk]),
        reverse("cases:access_log"),
        reverse("notifications"),
        reverse("referrals:triage"),
        reverse("referrals:list"),
        reverse("referrals:directory"),
        reverse("reports:statistics"),
        reverse("reports:print_queue"),
        reverse("reports:rapport", args=[case.pk]),
    ]:
        browser_page.open(path)

    # htmx at work: the case filter swaps the rows.
    browser_page.open(reverse("cases:list"))
    with browser_page.page.expect_response(lambda response: "/cases/" in response.url and "q=" in response.url):
        browser_page.page.fill("input[type=search]", "А")
    browser_page.page.wait_for_load_state("networkidle")
    browser_page.check("the case filter")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.page.screenshot(path=str(SCREENSHOTS / "csp-case-list-filtered.png"))


def test_the_inspectors_pages_and_the_duplicate_check_break_no_rule(visit):
    case, victim = _case_with_a_victim("alamudun", "inspector")
    browser_page = visit()
    browser_page.sign_in("inspector")

    for path in [
        reverse("home"),
        reverse("referrals:my_items"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:victim_detail", args=[victim.pk]),
        reverse("cases:create"),
        reverse("screening:wizard", args=[case.pk]),
    ]:
        browser_page.open(path)

    # The "Add a person" form: the duplicate check is an htmx request, its 429 handler a static script.
    browser_page.open(reverse("cases:victim_create", args=[case.pk]))
    with browser_page.page.expect_response(lambda response: "/victims/duplicates/" in response.url):
        browser_page.page.fill("#id_last_name", victim.last_name)
        browser_page.page.locator("#id_last_name").dispatch_event("change")
    browser_page.page.wait_for_load_state("networkidle")
    browser_page.check("the duplicate check")


def test_the_api_documentation_works_under_its_own_policy(visit):
    browser_page = visit()
    browser_page.sign_in("supervisor")

    browser_page.open(reverse("api-docs"))

    browser_page.page.wait_for_selector(".swagger-ui .info .title")  # Swagger UI drew the schema
    browser_page.page.wait_for_selector(".swagger-ui .opblock")  # and its operations
    browser_page.check("Swagger UI")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.page.screenshot(path=str(SCREENSHOTS / "csp-swagger-ui.png"))
