"""The demo in a real browser: every officer of the four districts signs in to a first page that shows real work."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from cases.models import Case, CaseUserObjectPermission
from trafficking_cms.demo.staff import USERS

pytestmark = pytest.mark.browser

CASE_NUMBERS = "#case-rows tbody tr td:first-child a"
OFFICERS = [username for username, role, *_ in USERS if role not in {Role.ANALYST, Role.NGO_STAFF}]


def _visible_numbers(username: str, role: str, unit: str) -> set[str]:
    """The cases the officer's role reaches in the demo, written from the seed data (not from the selectors)."""
    cases = list(Case.objects.select_related("unit", "unit__parent", "created_by", "assigned_officer"))
    if role in {Role.INSPECTOR, Role.HOTLINE_OPERATOR}:
        mine = {c for c in cases if username in {c.created_by.username, getattr(c.assigned_officer, "username", "")}}
        return {c.number for c in mine if c.unit.code == unit}
    if role == Role.SUPERVISOR:
        return {c.number for c in cases if unit in {c.unit.code, getattr(c.unit.parent, "code", "")}}
    granted = set(CaseUserObjectPermission.objects.filter(user__username=username).values_list("content_object_id"))
    return {c.number for c in cases if c.unit.code == unit or (c.pk,) in granted}


def test_every_officers_first_page_lists_their_cases(login, new_context, shot):
    # One test for all of them: the demo is loaded once, each officer signs in in a browser of their own.
    for username, role, unit, *_ in USERS:
        if username not in OFFICERS:
            continue
        page = login(new_context().new_page(), username)
        expect(page.locator("html")).to_have_attribute("lang", "ky")
        expected = _visible_numbers(username, role, unit)
        assert expected, f"the demo gives {username} no case"
        numbers = page.locator(CASE_NUMBERS)
        expect(numbers.first).to_be_visible()
        shown = {text.strip() for text in numbers.all_inner_texts()}
        assert shown == expected, username  # one page of the list (25) holds them all
        shot(page, f"30-first-page-ky-{username}")
        page.context.close()
