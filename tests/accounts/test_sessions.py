"""Sessions: a new key at every login, signed out after 15 minutes idle or 8 hours in all (with a translated message),
and every session of a deactivated user ended. Time passes by editing the session's stored times, not by sleeping."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_deactivate
from accounts.sessions import LOGIN_AT, SEEN_AT
from tests.accounts.test_admin import change_data, change_url
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"  # any page behind the login


@pytest.fixture
def officer(district):
    return UserFactory(unit=district, roles=[Role.INSPECTOR])


def signed_in(client, user):
    client.force_login(user)
    client.cookies["cms_language"] = "en"
    return client


def age(client, **seconds_ago: int) -> None:
    """Move the session's stored times into the past: login=…, seen=… seconds earlier."""
    session = client.session
    if "login" in seconds_ago:
        session[LOGIN_AT] -= seconds_ago["login"]
    if "seen" in seconds_ago:
        session[SEEN_AT] -= seconds_ago["seen"]
    session.save()


def test_logging_in_rotates_the_session_key(client, officer):
    # given an anonymous session with something in it
    session = client.session
    session["before_login"] = True
    session.save()
    anonymous_key = session.session_key

    # when the officer logs in through the form
    response = client.post(reverse("login"), {"username": officer.username, "password": TEST_PASSWORD})

    # then the session is carried on under a new key, and the old key is gone
    assert response.status_code == 302
    new_key = client.cookies["sessionid"].value
    assert new_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_logging_in_stamps_the_login_and_last_seen_times(client, officer):
    client.post(reverse("login"), {"username": officer.username, "password": TEST_PASSWORD})

    assert isinstance(client.session[LOGIN_AT], int)
    assert client.session[SEEN_AT] == client.session[LOGIN_AT]


def test_the_defaults_are_fifteen_minutes_idle_and_eight_hours_in_all(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 15 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 8 * 60 * 60
    assert settings.SESSION_COOKIE_AGE <= settings.SESSION_ABSOLUTE_TIMEOUT


def test_fourteen_minutes_idle_keeps_the_session(client, officer):
    signed_in(client, officer)
    age(client, login=14 * 60, seen=14 * 60)

    assert client.get(PAGE).status_code == 200


def test_fifteen_minutes_idle_signs_out_with_a_message(client, officer):
    signed_in(client, officer)
    age(client, login=15 * 60, seen=15 * 60)

    response = client.get(PAGE, follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    assert "You were signed out after 15 minutes without activity." in response.content.decode()


def test_the_idle_message_is_translated(client, officer):
    signed_in(client, officer)
    client.cookies["cms_language"] = "ru"
    age(client, login=15 * 60, seen=15 * 60)

    response = client.get(PAGE, follow=True)

    text = response.content.decode()
    assert 'lang="ru"' in text
    assert "You were signed out" not in text
    assert "15" in text


def test_activity_keeps_the_session_alive(client, officer):
    signed_in(client, officer)
    for _ in range(3):  # three requests, each ten minutes after the last: 30 minutes, never 15 idle
        age(client, login=10 * 60, seen=10 * 60)
        assert client.get(PAGE).status_code == 200


def test_eight_hours_after_login_signs_out_even_when_active(client, officer):
    signed_in(client, officer)
    age(client, login=8 * 60 * 60)  # seen just now

    response = client.get(PAGE, follow=True)

    assert SESSION_KEY not in client.session
    assert "a session lasts at most 8 hours" in response.content.decode()


def test_the_idle_timeout_comes_from_the_setting(client, officer, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    signed_in(client, officer)
    age(client, seen=121)

    response = client.get(PAGE, follow=True)

    assert "You were signed out after 2 minutes without activity." in response.content.decode()


def test_an_idle_session_gets_no_api_answer(client, officer):
    signed_in(client, officer)
    age(client, login=16 * 60, seen=16 * 60)

    response = client.get(reverse("api-referrals"))

    assert response.status_code in (401, 403)


def test_deactivating_a_user_ends_all_their_sessions_and_no_one_elses(client, django_user_model, officer, district):
    from django.test import Client

    phone, desktop, colleague_client = Client(), Client(), Client()
    phone.force_login(officer)
    desktop.force_login(officer)
    colleague = UserFactory(unit=district, roles=[Role.INSPECTOR])
    colleague_client.force_login(colleague)
    head = UserFactory(unit=district, roles=[Role.SUPERVISOR])

    user_deactivate(user=officer, actor=head)

    officer.refresh_from_db()
    assert officer.is_active is False
    assert phone.get(PAGE).status_code == 302
    assert desktop.get(PAGE).status_code == 302
    assert colleague_client.get(PAGE).status_code == 200
    remaining = [s.get_decoded().get(SESSION_KEY) for s in Session.objects.all()]
    assert str(officer.pk) not in remaining
    record = officer.history.latest()
    assert (record.history_user, record.history_change_reason) == (head, "deactivated")


def test_deactivating_in_the_admin_ends_the_users_sessions(client, officer, ministry):
    from django.test import Client

    phone = Client()
    phone.force_login(officer)
    admin = UserFactory(unit=ministry, is_staff=True, is_superuser=True)
    client.force_login(admin)
    data = change_data(officer)
    del data["is_active"]

    response = client.post(change_url(officer), data)

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.is_active is False
    assert phone.get(PAGE).status_code == 302
    assert client.get(PAGE).status_code == 200  # the administrator is still signed in


def test_the_admin_action_deactivates_and_signs_out_but_not_the_admin_themselves(client, officer, ministry):
    from django.test import Client

    phone = Client()
    phone.force_login(officer)
    admin = UserFactory(unit=ministry, is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [officer.pk, admin.pk]},
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    admin.refresh_from_db()
    assert (officer.is_active, admin.is_active) == (False, True)
    assert phone.get(PAGE).status_code == 302


def test_a_session_from_before_the_stamps_is_stamped_not_signed_out(client, officer):
    signed_in(client, officer)
    session = client.session
    del session[LOGIN_AT], session[SEEN_AT]
    session.save()

    assert client.get(PAGE).status_code == 200
    assert isinstance(client.session[LOGIN_AT], int)


def test_a_user_deactivated_without_the_service_is_still_refused_on_the_next_request(client, officer):
    signed_in(client, officer)

    officer.is_active = False
    officer.save(update_fields=["is_active"])

    assert client.get(PAGE).status_code == 302  # Django's backend does not load an inactive user's session
