"""Two-factor sign-in in a real browser, with OTP_REQUIRED on (marked `otp`): an inspector signs in with the password,
enrols an authenticator from the key shown on the page (the code computed here as the app would), reaches the case
list; signing in again asks for the code only. The pages are checked with axe; screenshots under test-results/e2e/."""

import base64

import pytest
from django_otp.oath import totp

from trafficking_cms.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.otp]


def _password(page, url: str, username: str, axe) -> None:
    page.goto(f"{url}/login/?next=/cases/")
    axe.check(page)
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form[action$='/login/'] button[type=submit]")


def _code(page, code: str) -> None:
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.click("#id_code ~ button[type=submit]")


def test_an_inspector_enrols_an_authenticator_and_reaches_the_case_list(new_context, demo_data, axe, shot):
    page = new_context().new_page()
    _password(page, demo_data.url, "inspector", axe)

    # no authenticator yet: the enrolment page, with the QR code drawn inline and the key as text, and no menu
    assert "/login/code/enrol/" in page.url
    assert page.locator("figure.qr svg path").count() >= 1
    assert page.locator("nav.mainnav").count() == 0
    shot(page, "otp-enrol-ky")
    key = base64.b32decode(page.locator("#otp-secret").inner_text().replace(" ", ""))

    # a wrong code is said to be wrong, on the same page
    right = f"{totp(key):06d}"
    _code(page, f"{(int(right) + 500_000) % 1_000_000:06d}")
    assert page.locator("#otp-error").is_visible()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    shot(page, "otp-enrol-wrong-code-ky")

    _code(page, f"{totp(key):06d}")
    assert page.url.endswith("/cases/")
    assert page.locator("nav.mainnav").is_visible()
    shot(page, "otp-enrolled-case-list-ky")

    # the next sign-in asks for the code only (the next time step's: the one just used does not work twice)
    again = new_context().new_page()
    _password(again, demo_data.url, "inspector", axe)
    assert "/login/code/" in again.url and "/enrol/" not in again.url
    shot(again, "otp-verify-ky")
    _code(again, f"{totp(key, drift=1):06d}")
    assert again.url.endswith("/cases/")
    axe.check(again)
