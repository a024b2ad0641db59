"""The accessibility check itself (tests/e2e/axe.py): it fails on a violation and says where, lets through only the
allowlisted rules on their URL, and notices a page that was loaded but never checked.

Pages are served by the browser's own request routing from the markup in each test: no server, no database rows.
"""

import pytest

from .axe import TEMPORARY_ALLOWLIST, AxeAudit

pytestmark = pytest.mark.browser

ORIGIN = "http://a11y.test"
WIZARD_PATH = "/screening/cases/0c6b9f2e-1d1a-4c55-9b1e-2f6f0f0b8a11/new/"
CLEAN = "<main><h1>Cases</h1><p>Nothing here.</p></main>"
STEP_TABS = (
    '<main><h1>Screening</h1><ol role="tablist" aria-label="Steps">'
    '<li><button type="button" role="tab" aria-selected="true">1. Identity</button></li>'
    '<li><button type="button" role="tab" aria-selected="false">2. Indicators</button></li></ol></main>'
)


@pytest.fixture
def serve(browser):
    """Open a page whose address answers with the given body inside a valid document."""
    context = browser.new_context()
    bodies: dict[str, str] = {}

    def answer(route):
        path = route.request.url.removeprefix(ORIGIN)
        html = f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{bodies[path]}</body></html>'
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    context.route(f"{ORIGIN}/**", answer)
    page = context.new_page()

    def open_page(path: str, body: str):
        bodies[path] = body
        page.goto(ORIGIN + path)
        return page

    yield open_page
    context.close()


def test_a_clean_page_passes(serve):
    AxeAudit().check(serve("/cases/", CLEAN))


def test_a_violation_fails_with_the_rule_its_impact_the_element_and_the_url(serve):
    page = serve("/cases/", '<main><h1>Cases</h1><img src="data:,"><button type="button"></button></main>')

    with pytest.raises(AssertionError) as failure:
        AxeAudit().check(page)

    message = str(failure.value)
    assert f"{ORIGIN}/cases/" in message
    assert "image-alt (critical)" in message
    assert "button-name (critical)" in message
    assert 'at "img"' in message and "<img" in message


def test_a_description_that_names_a_missing_element_fails(serve):
    page = serve(
        "/cases/new/",
        '<main><h1>New case</h1><label for="id_place">Place</label>'
        '<input id="id_place" aria-invalid="true" aria-describedby="id_place_helptext id_place_error">'
        '<ul id="id_place_error"><li>Required.</li></ul></main>',
    )

    with pytest.raises(AssertionError) as failure:
        AxeAudit().check(page)

    assert "idref-exists" in str(failure.value)
    assert "id_place_helptext" in str(failure.value)
    assert "id_place_error" not in str(failure.value).split("id_place_helptext")[1].split("\n")[0]


def test_the_wizards_step_tabs_pass_axe_now_that_they_follow_the_tabs_pattern(serve):
    assert TEMPORARY_ALLOWLIST == [], "an allowlist entry is left: fix the fault and remove it"
    page = serve(WIZARD_PATH, STEP_TABS)
    with pytest.raises(AssertionError, match="aria-required-children"):
        AxeAudit().check(page)  # the old markup of the tabs fails everywhere, the wizard included


def test_a_page_loaded_and_left_without_a_check_is_reported(serve):
    audit = AxeAudit()
    page = serve("/cases/", CLEAN)
    audit.watch(page)

    serve("/notifications/", CLEAN)
    audit.check(page)
    serve("/cases/", CLEAN)
    serve("/cases/new/", CLEAN)

    assert audit.unchecked() == [f"{ORIGIN}/cases/", f"{ORIGIN}/cases/new/"]
