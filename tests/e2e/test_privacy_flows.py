"""Privacy in a real browser: the rate-limited duplicate check tells the officer why, and keeps what was typed."""

import pytest
from django.db.models import Q
from playwright.sync_api import expect

from cases.models import Case

pytestmark = pytest.mark.browser


def test_a_rate_limited_duplicate_check_shows_why_and_keeps_the_form(login, page, shot, settings):
    # given the limit is one check per window
    settings.DUPLICATE_CHECK_RATE = (1, 600)
    login(page, "inspector")
    case = Case.objects.filter(
        Q(created_by__username="inspector") | Q(assigned_officer__username="inspector"), unit__code="alamudun"
    ).first()
    page.goto(page.url.split("/cases/")[0] + f"/cases/{case.pk}/victims/new/")

    # when the officer types a name (one check) and then another field (a second check)
    with page.expect_response(lambda r: r.url.endswith("/victims/duplicates/")) as first:
        page.fill("#id_last_name", "Сыдыкова")
        page.locator("#id_last_name").blur()
    assert first.value.status == 200
    with page.expect_response(lambda r: r.url.endswith("/victims/duplicates/")) as second:
        page.fill("#id_first_name", "Айпери")
        page.locator("#id_first_name").blur()

    # then the second answer is 429, its message is shown in place, and the typed values stay
    assert second.value.status == 429
    expect(page.locator("#duplicates [role=alert]")).to_be_visible()
    expect(page.locator("#id_last_name")).to_have_value("Сыдыкова")
    expect(page.locator("#id_first_name")).to_have_value("Айпери")
    shot(page, "privacy-duplicate-check-rate-limited")
