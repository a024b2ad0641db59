"""Two-factor sign-in (TOTP): after the password, the code step (or enrolment at the first sign-in); until then the
session reaches no page and no API endpoint; a code works once; the 6th wrong code in a row is refused; the session
key changes after the step; an administrator's reset of the device ends the user's sessions.

Marked `otp`: OTP_REQUIRED stays on, as the production settings have it (tests/conftest.py turns it off elsewhere).
"""

import base64
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiKey, Organisation
from accounts.otp import failures_exhausted, otp_reset
from accounts.roles import Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.otp]

VERIFY = "/login/code/"
ENROL = "/login/code/enrol/"
API = "/api/v1/referrals/"


@pytest.fixture
def officer(district):
    return UserFactory(unit=district, roles=[Role.INSPECTOR])


@pytest.fixture
def device(officer):
    return TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` time steps later: still accepted, within the tolerance of 1)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():0{device.digits}d}"


def password_sign_in(client: Client, user, next_page: str = "/cases/"):
    client.cookies["cms_language"] = "en"
    return client.post(f"{reverse('login')}?next={next_page}", {"username": user.username, "password": TEST_PASSWORD})


@pytest.fixture
def pending(client, officer, device):
    """A client signed in with the password only, owing the code."""
    response = password_sign_in(client, officer)
    assert response.status_code == 302
    return client


def verified(client: Client, device: TOTPDevice) -> Client:
    """Mark the client's session as having passed the code step with the device (as django_otp.login does)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# ---------------------------------------------------------------------------
# The settings
# ---------------------------------------------------------------------------
def test_the_tests_run_with_two_factor_on_as_production_has_it(settings):
    assert settings.PRODUCTION and settings.OTP_REQUIRED


PRINT_OTP = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'trafficking_cms.settings'); django.setup(); "
    "from django.conf import settings as s; print(s.OTP_REQUIRED)"
)


@pytest.mark.parametrize(
    ("switches", "expected"),
    [
        ({}, "True"),  # production: no DEMO_MODE, no DEBUG
        ({"DEMO_MODE": "1"}, "False"),
        ({"DEMO_MODE": "1", "OTP_REQUIRED": "1"}, "True"),
        ({"DJANGO_DEBUG": "1"}, "False"),
    ],
    ids=["production", "demo", "demo-switched-on", "debug"],
)
def test_production_settings_require_two_factor_and_the_demo_may_switch_it_off(tmp_path, switches, expected):
    from tests.test_security_headers import _environment, _production, _run

    environment = _production(tmp_path) if not switches else _environment(tmp_path, **switches)
    if "OTP_REQUIRED" not in switches:
        environment.pop("OTP_REQUIRED", None)  # the default is what is tested, whatever this shell has set
    result = _run(["-c", PRINT_OTP], environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected]


# ---------------------------------------------------------------------------
# After the password: the code step, or enrolment
# ---------------------------------------------------------------------------
def test_after_the_password_a_user_with_a_device_is_sent_to_the_code_step(pending):
    response = pending.get("/cases/")

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fcases%2F"
    page = pending.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()


def test_the_right_code_lets_the_session_in_and_gives_it_a_new_key(pending, device):
    key_before = pending.cookies["sessionid"].value

    response = pending.post(VERIFY, {"code": code_for(device), "next": "/cases/"})

    assert response.status_code == 302 and response["Location"] == "/cases/"
    key_after = pending.cookies["sessionid"].value
    assert key_after != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert pending.get("/cases/").status_code == 200
    assert pending.get(API).status_code == 200


def test_the_password_sign_in_gives_a_new_key_too(client, officer, device):
    client.get(reverse("login"))
    client.cookies["sessionid"] = "a-key-planted-before-sign-in"

    password_sign_in(client, officer)

    assert client.cookies["sessionid"].value != "a-key-planted-before-sign-in"


def test_a_wrong_code_is_refused_with_a_message(pending, device):
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = pending.post(VERIFY, {"code": wrong, "next": "/cases/"})

    assert response.status_code == 200
    assert "The code is wrong or was already used" in response.content.decode()
    assert pending.get("/cases/").status_code == 302


def test_a_code_works_once(client, officer, device):
    """The same code given in a second sign-in (someone who saw it typed) is refused: TOTPDevice keeps the time step of
    the last code it accepted and takes only later ones."""
    code = code_for(device)
    password_sign_in(client, officer)
    assert client.post(VERIFY, {"code": code}).status_code == 302

    other = Client()
    password_sign_in(other, officer)
    response = other.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert "already used" in response.content.decode()
    assert other.get("/cases/").status_code == 302
    # an earlier step's code is refused as well; the next step's is taken
    assert other.post(VERIFY, {"code": code_for(device, steps_ahead=-1)}).status_code == 200
    assert other.post(VERIFY, {"code": code_for(device, steps_ahead=1)}).status_code == 302


def test_a_user_without_a_device_enrols_with_a_qr_code_and_the_key_as_text(client, officer):
    password_sign_in(client, officer)

    response = client.get(VERIFY + "?next=/cases/", follow=True)

    assert response.redirect_chain[-1][0] == f"{ENROL}?next=%2Fcases%2F"
    body = response.content.decode()
    assert '<svg aria-hidden="true"' in body and "<path" in body and "<script>" not in body
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', body).group(1)
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key
    # a reload shows the same key (the officer may reload while the app is open)
    assert secret in client.get(ENROL).content.decode()
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    key = base64.b32decode(secret.replace(" ", ""))
    response = client.post(ENROL, {"code": f"{totp(key):06d}", "next": "/cases/"})

    assert response.status_code == 302 and response["Location"] == "/cases/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/cases/").status_code == 200


def test_enrolment_with_a_wrong_code_keeps_the_device_unconfirmed(client, officer):
    password_sign_in(client, officer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(ENROL, {"code": f"{(int(code_for(device)) + 1) % 1_000_000:06d}"})

    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/cases/").status_code == 302


def test_a_user_with_a_device_cannot_enrol_another(pending, device):
    response = pending.get(ENROL)

    assert response.status_code == 302 and response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=device.user).count() == 1


@pytest.mark.parametrize("role", [Role.NGO_STAFF, Role.ANALYST, Role.SUPERVISOR, Role.HOTLINE_OPERATOR])
def test_every_role_is_asked_for_the_code(client, district, role):
    user = UserFactory(unit=district, roles=[role])
    password_sign_in(client, user)

    assert client.get("/cases/")["Location"].startswith(VERIFY)


def test_an_administrator_is_asked_for_the_code_before_the_admin(client, district):
    admin = UserFactory(unit=district, is_staff=True, is_superuser=True)
    password_sign_in(client, admin)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


# ---------------------------------------------------------------------------
# Until the code: no page, no API
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/cases/", "/notifications/", "/referrals/triage/", "/admin/", "/health/"])
def test_an_unverified_session_reaches_no_page(pending, path):
    response = pending.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


def test_an_unverified_session_posts_nothing(pending, officer):
    response = pending.post("/notifications/read/")

    assert response.status_code == 302 and response["Location"] == VERIFY


def test_an_unverified_session_may_switch_language_and_sign_out(pending):
    assert pending.post(reverse("set_language"), {"language": "ru", "next": VERIFY})["Location"] == VERIFY
    assert pending.get(VERIFY).status_code == 200
    assert pending.get("/static/css/app.css").status_code == 200

    assert pending.post(reverse("logout")).status_code == 302
    assert pending.get("/cases/")["Location"].startswith(reverse("login"))


def test_the_code_step_shows_no_menu(pending):
    body = pending.get(VERIFY).content.decode()

    assert 'class="mainnav"' not in body


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_api_refuses_an_unverified_session_with_a_clear_json_error(pending, method):
    response = getattr(pending, method)(API, content_type="application/json")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "Two-factor sign-in is not complete" in response.json()["detail"]


def test_the_api_schema_refuses_an_unverified_session(pending):
    response = pending.get(reverse("api-schema"))

    assert response.status_code == 403


def test_an_api_key_is_not_asked_for_a_code(client, db):
    organisation = Organisation.objects.create(name="Тунгуч", kind=Organisation.Kind.NGO)
    key = ApiKey.objects.create_key(name="Тунгуч integration", organisation=organisation)[1]

    response = client.get(API, headers={"Authorization": f"Api-Key {key}"})

    assert response.status_code == 200


def test_a_verified_session_reaches_the_api(client, officer, device):
    client.force_login(officer)
    assert client.get(API).status_code == 403

    assert verified(client, device).get(API).status_code == 200


# ---------------------------------------------------------------------------
# Guessing: the 6th wrong code in a row is refused
# ---------------------------------------------------------------------------
def test_the_sixth_attempt_after_five_wrong_codes_is_refused_even_with_the_right_code(pending, device, settings):
    assert settings.OTP_FAILURE_LIMIT == 5
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    for _attempt in range(5):
        assert pending.post(VERIFY, {"code": wrong}).status_code == 200

    response = pending.post(VERIFY, {"code": code_for(device)})

    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert pending.get("/cases/").status_code == 302
    device.refresh_from_db()
    assert device.last_t == -1  # the right code was not even checked, so it stays usable


def test_the_count_is_per_user_and_a_new_sign_in_does_not_clear_it(client, officer, device):
    password_sign_in(client, officer)
    for _attempt in range(5):
        client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"})

    again = Client()
    password_sign_in(again, officer)

    assert again.post(VERIFY, {"code": code_for(device)}).status_code == 429


def test_a_right_code_clears_the_count_of_wrong_ones(pending, device):
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    for _attempt in range(4):
        pending.post(VERIFY, {"code": wrong})
    assert pending.post(VERIFY, {"code": code_for(device)}).status_code == 302

    # four more wrong codes (eight in all, but not in a row) leave the user able to try
    again = Client()
    password_sign_in(again, device.user)
    for _attempt in range(4):
        assert again.post(VERIFY, {"code": wrong}).status_code == 200
    assert not failures_exhausted(device.user)
    assert again.post(VERIFY, {"code": code_for(device, steps_ahead=1)}).status_code == 302


def test_malformed_codes_count_as_wrong_ones(pending, device):
    for _attempt in range(5):
        assert pending.post(VERIFY, {"code": "abc"}).status_code == 200

    assert pending.post(VERIFY, {"code": code_for(device)}).status_code == 429


def test_an_administrators_reset_lifts_the_refusal(pending, device, officer):
    for _attempt in range(5):
        pending.post(VERIFY, {"code": "x"})

    otp_reset(user=officer)

    password_sign_in(pending, officer)
    assert pending.get(VERIFY)["Location"] == ENROL


# ---------------------------------------------------------------------------
# Hostile input in the code field (and `next`): a form error, never a 500
# ---------------------------------------------------------------------------
HOSTILE = {
    "NUL": "123\x00456",
    "RLO": "123\u202e456",
    "LRI": "\u2066123456",
    "arabic_digits": "١٢٣٤٥٦",
    "fullwidth_digits": "１２３４５６",
    "huge": "1" * 10_000,
    "huge_cyrillic": "ж" * 10_000,
    "seven_digits": "1234567",
    "empty": "",
    "spaces": "      ",
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("url", [VERIFY, ENROL])
def test_hostile_codes_are_a_form_error_not_a_500(client, officer, device, url, value):
    if url == ENROL:
        device.delete()
    password_sign_in(client, officer)
    client.raise_request_exception = False

    response = client.post(url, {"code": value, "next": "/cases/"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert client.get("/cases/").status_code == 302


@pytest.mark.parametrize(
    "next_page", ["https://evil.example/", "//evil.example/", "/cases/\x00", "\u202e/cases/", "/" + "a" * 10_000]
)
def test_a_hostile_next_never_leaves_the_site(pending, device, next_page):
    pending.raise_request_exception = False

    response = pending.post(VERIFY, {"code": code_for(device), "next": next_page})

    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")


def test_the_code_with_a_space_in_the_middle_is_taken(pending, device):
    code = code_for(device)

    assert pending.post(VERIFY, {"code": f"{code[:3]} {code[3:]}"}).status_code == 302


# ---------------------------------------------------------------------------
# Reset by an administrator: the device goes, the sessions end
# ---------------------------------------------------------------------------
def test_the_reset_command_deletes_the_device_and_ends_the_sessions(client, officer, device):
    client.force_login(officer)
    verified(client, device)
    assert client.get("/cases/").status_code == 200

    call_command("otp_reset", officer.username, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not TOTPDevice.objects.filter(user=officer).exists()
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_reset_command_refuses_an_unknown_username(db):
    with pytest.raises(CommandError):
        call_command("otp_reset", "nobody-of-that-name")


@pytest.fixture
def admin_client(district):
    admin = UserFactory(unit=district, is_staff=True, is_superuser=True)
    admin_device = TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    client = Client()
    client.force_login(admin)
    return verified(client, admin_device)


def test_the_admin_action_resets_the_device_and_ends_the_sessions(admin_client, client, officer, device):
    client.force_login(officer)
    verified(client, device)

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [officer.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert client.get("/cases/")["Location"].startswith(reverse("login"))


def test_deleting_the_device_in_the_admin_ends_the_sessions(admin_client, client, officer, device):
    client.force_login(officer)
    verified(client, device)

    response = admin_client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert client.get("/cases/")["Location"].startswith(reverse("login"))


def test_the_admin_never_shows_the_secret(admin_client, device):
    body = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()

    assert device.key not in body
    assert "qrcode" not in body


# ---------------------------------------------------------------------------
# Switched off (the demo): said on every page
# ---------------------------------------------------------------------------
def test_when_switched_off_the_steps_step_aside_and_the_pages_say_so(client, officer, settings):
    settings.OTP_REQUIRED = False
    settings.DEMO_MODE = True
    password_sign_in(client, officer)

    response = client.get("/cases/")

    assert response.status_code == 200
    assert "Two-factor sign-in is switched off (demo)." in response.content.decode()
    assert client.get(VERIFY + "?next=/cases/")["Location"] == "/cases/"


def test_when_on_no_banner(client, officer, device):
    client.force_login(officer)
    verified(client, device)

    assert "Two-factor sign-in is switched off" not in client.get("/cases/").content.decode()
