"""Sign-in protection in a real browser: five wrong passwords lock the username, the lockout page is readable and
accessible (axe), and another officer still signs in from the same browser (the same address)."""

import pytest

from trafficking_cms.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _submit(page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form[action$='/login/'] button[type=submit]")


def test_five_wrong_passwords_lock_the_username_and_the_page_says_so(page, demo_data, login, shot):
    page.goto(f"{demo_data.url}/login/")
    for attempt in range(5):
        _submit(page, "inspector", f"wrong-password-{attempt}")
        if attempt < 4:
            assert page.locator("#login-error").is_visible()

    # the fifth failure answers with the lockout page, in Kyrgyz; the right password is refused as well
    assert page.locator("html").get_attribute("lang") == "ky"
    assert page.locator("p.error[role=alert]").is_visible()
    shot(page, "sign-in-locked-ky")
    page.goto(f"{demo_data.url}/login/")
    _submit(page, "inspector", DEMO_PASSWORD)
    assert "/login/" in page.url
    assert page.locator("p.error[role=alert]").is_visible()

    # another officer behind the same address signs in
    login(page, "duty_officer")
