"""Project-wide pages: login and language, logout, health, notifications, the 404 page, admin and API documents."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _heading(response) -> str:
    match = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "the page has no <h1>"
    return match.group(1).strip()


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


# ---------------------------------------------------------------------------
# Login and language
# ---------------------------------------------------------------------------
def test_the_login_page_opens_in_kyrgyz_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert _html_lang(response) == "ky"
    assert response["Content-Language"] == "ky"
    assert 'name="username"' in response.content.decode()
    assert (
        _heading(response) != "Log in"
    )  # translated, not the English source text (`make test` compiles the catalogues)


def test_switching_to_russian_changes_the_page_language(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": reverse("login")})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get(reverse("login"))
    assert _html_lang(page) == "ru"
    assert page["Content-Language"] == "ru"
    kyrgyz = Client().get(reverse("login"))
    assert _heading(page) not in ("Log in", _heading(kyrgyz))
    assert re.search(r'<button[^>]*value="ru"[^>]*aria-current="true"', page.content.decode())


def test_the_chosen_language_stays_after_login(client, owner):
    client.post(reverse("set_language"), {"language": "ru", "next": reverse("login")})
    client.force_login(owner)
    assert _html_lang(client.get(reverse("cases:list"))) == "ru"


def test_an_unknown_language_is_ignored(client):
    client.post(reverse("set_language"), {"language": "xx", "next": reverse("login")})
    assert _html_lang(client.get(reverse("login"))) == "ky"


def test_the_language_switch_does_not_redirect_to_another_site(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_officer_logs_in_with_the_right_password(client, owner, password):
    response = client.post(reverse("login"), {"username": owner.username, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_wrong_password_is_refused(client, owner):
    response = client.post(reverse("login"), {"username": owner.username, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("cases:list")).status_code == 302


def test_a_login_sends_the_officer_back_to_the_page_asked_for(client, owner, password, case):
    wanted = reverse("cases:detail", args=[case.pk])
    response = client.post(reverse("login"), {"username": owner.username, "password": password, "next": wanted})
    assert response["Location"] == wanted


# ---------------------------------------------------------------------------
# Logout and home
# ---------------------------------------------------------------------------
def test_logging_out_ends_the_session(client_for, owner):
    client = client_for(owner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("cases:list")).status_code == 302


def test_logout_is_not_possible_by_a_simple_link(client_for, owner):
    client = client_for(owner)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("cases:list")).status_code == 200


def test_the_home_page_leads_an_officer_to_their_due_items(client_for, owner):
    # Every role's first page: tests/referrals/test_triage_pages.py
    response = client_for(owner).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:my_items")


# ---------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------
def test_the_health_check_answers_without_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# ---------------------------------------------------------------------------
# Notifications
# ---------------------------------------------------------------------------
@pytest.fixture
def assigned_notice(owner, case):
    return Notification.objects.create(
        recipient=owner,
        kind="case_assigned",
        params={"case_number": case.number, "case_id": str(case.pk)},
        link=reverse("cases:detail", args=[case.pk]),
    )


def test_the_unread_count_is_shown_in_the_menu(client_for, owner, assigned_notice):
    response = client_for(owner).get(reverse("cases:list"))
    assert response.context["unread_notifications"] == 1


def test_the_notifications_page_lists_them_and_reading_it_marks_nothing_read(client_for, owner, assigned_notice, case):
    client = client_for(owner)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications"))

    body = response.content.decode()
    assert response.status_code == 200
    assert case.number in body
    assert reverse("cases:detail", args=[case.pk]) in body
    assert 'class="unread"' in body
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]  # a GET writes nothing
    assigned_notice.refresh_from_db()
    assert assigned_notice.read_at is None


def test_mark_all_as_read_is_one_update(client_for, owner, assigned_notice):
    Notification.objects.bulk_create(
        Notification(recipient=owner, kind="case_assigned", params={"case_number": "X"}) for _ in range(49)
    )
    client = client_for(owner)
    assert reverse("notifications_mark_read") in client.get(reverse("notifications")).content.decode()

    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("notifications_mark_read"))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications")
    assert len([q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]) == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    page = client.get(reverse("notifications"))
    assert page.context["unread_notifications"] == 0
    assert 'class="unread"' not in page.content.decode()


def test_marking_all_as_read_keeps_the_first_reading_time(client_for, owner, assigned_notice):
    client = client_for(owner)
    client.post(reverse("notifications_mark_read"))
    first = Notification.objects.get(pk=assigned_notice.pk).read_at

    client.post(reverse("notifications_mark_read"))

    assert first is not None
    assert Notification.objects.get(pk=assigned_notice.pk).read_at == first


def test_one_notification_is_marked_read_by_its_own_button(client_for, owner, assigned_notice):
    other = Notification.objects.create(recipient=owner, kind="case_assigned", params={"case_number": "X"})
    client = client_for(owner)
    url = reverse("notification_mark_read", args=[assigned_notice.pk])
    assert url in client.get(reverse("notifications")).content.decode()

    response = client.post(url)

    assert response.status_code == 302
    assigned_notice.refresh_from_db()
    other.refresh_from_db()
    assert assigned_notice.read_at is not None
    assert other.read_at is None


def test_marking_read_is_not_possible_by_a_simple_link(client_for, owner, assigned_notice):
    client = client_for(owner)
    assert client.get(reverse("notifications_mark_read")).status_code == 405
    assert client.get(reverse("notification_mark_read", args=[assigned_notice.pk])).status_code == 405
    assigned_notice.refresh_from_db()
    assert assigned_notice.read_at is None


def test_marking_read_needs_the_csrf_token(owner, assigned_notice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.post(reverse("notifications_mark_read")).status_code == 403

    assigned_notice.refresh_from_db()
    assert assigned_notice.read_at is None


def test_nobody_marks_another_persons_notification_read(client_for, colleague, assigned_notice):
    client = client_for(colleague)

    assert client.post(reverse("notification_mark_read", args=[assigned_notice.pk])).status_code == 404
    assert client.post(reverse("notifications_mark_read")).status_code == 302

    assigned_notice.refresh_from_db()
    assert assigned_notice.read_at is None


def test_the_notifications_page_in_english_names_the_case(client_for, owner, assigned_notice, case):
    client = client_for(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert f"Case {case.number} was assigned to you" in client.get(reverse("notifications")).content.decode()


def test_nobody_sees_or_marks_another_persons_notifications(client_for, colleague, assigned_notice, case):
    response = client_for(colleague).get(reverse("notifications"))
    assert case.number not in response.content.decode()
    assigned_notice.refresh_from_db()
    assert assigned_notice.read_at is None


def test_the_notifications_page_needs_a_login(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------
# Caching, the 404 page
# ---------------------------------------------------------------------------
def test_pages_of_a_signed_in_user_are_never_cached(client_for, owner):
    response = client_for(owner).get(reverse("notifications"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_an_unknown_address_shows_the_projects_404_page(client_for, owner):
    response = client_for(owner).get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_a_foreign_case_shows_the_same_404_page_as_a_missing_one(client_for, outsider, owner):
    foreign = CaseFactory(created_by=owner)
    response = client_for(outsider).get(reverse("cases:detail", args=[foreign.pk]))
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert foreign.number not in response.content.decode()


# ---------------------------------------------------------------------------
# Administration and API documents
# ---------------------------------------------------------------------------
def test_the_admin_is_closed_to_officers(client_for, owner):
    response = client_for(owner).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_opens_for_a_superuser(client_for, ministry):
    admin = UserFactory(unit=ministry, is_staff=True, is_superuser=True)
    assert client_for(admin).get(reverse("admin:index")).status_code == 200


def test_case_data_in_the_admin_is_for_superusers_only(client_for, ministry, case):
    staff = UserFactory(unit=ministry, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_case", "change_case"]))
    assert client_for(staff).get(reverse("admin:cases_case_changelist")).status_code == 403


def test_the_api_schema_is_an_openapi_document(client_for, owner):
    response = client_for(owner).get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_api_documentation_is_served_without_a_cdn(client_for, owner):
    response = client_for(owner).get(reverse("api-docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger" in body.lower()
    assert not re.search(r'(src|href)="https?://', body)
