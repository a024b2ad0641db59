"""The demo in a real browser: officers of the other districts sign in to a first page that shows real work.

The Chui officers of each role are signed in by tests/e2e/test_foundation_flows.py, and every officer of the four
districts by the request test of the same promise (tests/demo/test_stories.py); here the Osh oblast's and Sokuluk's
officers of each kind, with the cases expected worked out from the seed data, not from the selectors."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from cases.models import Case, CaseUserObjectPermission
from trafficking_cms.demo.staff import USERS

pytestmark = pytest.mark.browser

CASE_NUMBERS = "#case-rows tbody tr td:first-child a"
OFFICERS = ["karasuu_inspector", "karasuu_duty", "karasuu_head", "osh_head", "sokuluk_inspector", "uzgen_head"]


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


def test_officers_of_the_other_districts_find_their_cases_on_the_first_page(login, new_context, shot):
    # One test for all of them: each officer signs in in a browser of their own.
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
