"""The login form refuses the 6th failed attempt in a row for a username (django-axes), even with the right password,
for a cool-off period; a successful login clears the count; the lockout page is a translated page, never a 500."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, UserFactory

WRONG = "not-the-password-at-all"


@pytest.fixture
def officer(db):
    return UserFactory(username="officer.lock")


def sign_in(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, times: int, address: str = "10.0.0.1") -> None:
    """Fail `times` times; the fifth failure is already answered with the lockout page."""
    for attempt in range(1, times + 1):
        assert sign_in(client, username, WRONG, address).status_code == (429 if attempt >= 5 else 200)


def test_forty_wrong_passwords_then_the_right_one_does_not_log_in(client, officer):
    for _ in range(40):
        sign_in(client, officer.username, WRONG)

    response = sign_in(client, officer.username, TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_then_the_right_one_logs_in(client, officer):
    fail(client, officer.username, 5 - 1)

    response = sign_in(client, officer.username, TEST_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client, officer):
    fail(client, officer.username, 5)

    response = sign_in(client, officer.username, TEST_PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_fifth_failure_already_says_the_account_is_locked(client, officer):
    fail(client, officer.username, 4)

    response = sign_in(client, officer.username, WRONG)

    assert response.status_code == 429


def test_the_lock_holds_for_the_username_from_any_address(client, officer):
    fail(client, officer.username, 5, address="10.0.0.1")

    response = sign_in(client, officer.username, TEST_PASSWORD, address="192.0.2.77")

    assert response.status_code == 429


def test_other_officers_behind_the_same_address_still_log_in(client, officer):
    colleague = UserFactory(username="colleague.same.station")
    fail(client, officer.username, 5, address="10.0.0.1")

    response = sign_in(client, colleague.username, TEST_PASSWORD, address="10.0.0.1")

    assert response.status_code == 302


def test_a_successful_login_resets_the_count(client, officer):
    fail(client, officer.username, 4)
    assert sign_in(client, officer.username, TEST_PASSWORD).status_code == 302
    client.logout()

    fail(client, officer.username, 4)
    response = sign_in(client, officer.username, TEST_PASSWORD)

    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off_period(client, officer, settings):
    fail(client, officer.username, 5)
    assert sign_in(client, officer.username, TEST_PASSWORD).status_code == 429

    # when the cool-off period has passed (the attempts are dated back instead of waiting)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    response = sign_in(client, officer.username, TEST_PASSWORD)

    assert response.status_code == 302


def test_the_cool_off_period_defaults_to_fifteen_minutes(settings):
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_FAILURE_LIMIT == 5


def test_the_lockout_page_is_translated_and_says_when_to_try_again(client, officer):
    client.cookies["cms_language"] = "ru"
    fail(client, officer.username, 5)

    response = sign_in(client, officer.username, TEST_PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert 'lang="ru"' in text
    assert "15" in text  # the cool-off, in minutes
    assert TEST_PASSWORD not in text


def test_the_lockout_page_is_in_kyrgyz_by_default(client, officer):
    fail(client, officer.username, 5)

    response = sign_in(client, officer.username, TEST_PASSWORD)

    assert response.status_code == 429
    assert 'lang="ky"' in response.content.decode()


def test_failed_attempts_keep_no_password_and_no_browser_details(client, officer):
    client.post(
        reverse("login") + "?next=/cases/",
        {"username": officer.username, "password": "secret-guess-123", "next": "/cases/1/"},
        HTTP_USER_AGENT="Mozilla/5.0 (officer's phone)",
        REMOTE_ADDR="10.0.0.9",
    )

    attempt = AccessAttempt.objects.get()
    assert attempt.username == officer.username
    assert attempt.ip_address == "10.0.0.9"
    stored = " ".join([attempt.get_data, attempt.post_data, attempt.user_agent, attempt.http_accept])
    assert "secret-guess-123" not in stored
    assert "/cases/1/" not in stored
    assert "Mozilla" not in stored
    assert attempt.user_agent == ""


def test_successful_logins_are_not_logged_by_axes(client, officer):
    assert sign_in(client, officer.username, TEST_PASSWORD).status_code == 302

    assert AccessLog.objects.count() == 0


def test_the_address_is_read_through_the_trusted_proxies(client, officer, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": officer.username, "password": WRONG},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


HOSTILE_USERNAMES = {
    "NUL": "officer\x00lock",
    "RLO": "officer\u202elock",
    "10_KB": "о" * 10_000,
}


@pytest.mark.parametrize("label", sorted(HOSTILE_USERNAMES))
def test_a_hostile_username_gets_a_form_error_not_a_500(client, officer, label):
    response = sign_in(client, HOSTILE_USERNAMES[label], TEST_PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("label", sorted(HOSTILE_USERNAMES))
def test_a_hostile_username_repeated_is_locked_out_not_a_500(client, officer, label):
    for _ in range(7):
        response = sign_in(client, HOSTILE_USERNAMES[label], WRONG)
        assert response.status_code in (200, 429)


def test_a_hostile_password_gets_a_form_error_not_a_500(client, officer):
    for password in ("pass\x00word", "pass\u202eword", "п" * 10_000):
        response = sign_in(client, officer.username, password)
        assert response.status_code in (200, 429)


def test_the_admin_login_is_locked_by_the_same_count(client, officer):
    fail(client, officer.username, 5)

    response = client.post(
        reverse("admin:login"), {"username": officer.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 429


def test_a_10_kb_username_is_counted_by_its_first_150_characters(client, officer):
    long_name = "о" * 10_000
    for _ in range(5):
        assert sign_in(client, long_name, WRONG).status_code in (200, 429)

    assert AccessAttempt.objects.get().username == "о" * 150
