"""The findings of the access matrix (tests/security/test_access_matrix.py), each pinned by a small test that failed
before its fix: the admin's history pages, a named webhook endpoint asked by an officer, the 1899 desk's close."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.factories import CaseFactory, UserFactory
from tests.referrals.conftest import organisation_recipient

pytestmark = pytest.mark.django_db


@pytest.fixture
def history_reader(ministry):
    """Staff who may enter the admin and hold the history models' view permissions (granted in the user admin)."""
    staff = UserFactory(unit=ministry, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_historicalcase", "view_historicalreferral"])
    )
    return staff


def test_the_admin_history_of_a_case_is_not_shown_to_staff_holding_the_history_permission(history_reader, owner):
    """Before the fix simple-history's own permission (SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS) overrode the
    superuser-only rule of case data: 200 with the case's circumstances."""
    case = CaseFactory(created_by=owner, summary="Канарейкина Зарема жумушка кеткен.")
    client = Client()
    client.force_login(history_reader)
    for path in (
        reverse("admin:cases_case_history", args=[case.pk]),
        reverse("admin:cases_case_simple_history", args=[case.pk, case.history.first().history_id]),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Канарейкина".encode() not in response.content


def test_the_admin_history_of_a_case_answers_staff_404_whether_it_exists_or_not(ministry, owner):
    """Before the fix: 403 for a case that exists, 404 for one that does not (an oracle of case ids)."""
    staff = UserFactory(unit=ministry, is_staff=True)
    client = Client()
    client.force_login(staff)
    case = CaseFactory(created_by=owner)
    assert client.get(reverse("admin:cases_case_history", args=[case.pk])).status_code == 404


def test_the_superuser_still_reads_the_admin_history(ministry, owner):
    superuser = UserFactory(unit=ministry, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    case = CaseFactory(created_by=owner)
    assert client.get(reverse("admin:cases_case_history", args=[case.pk])).status_code == 200


def test_a_named_webhook_endpoint_answers_an_officer_404_not_403(owner, settings):
    """Before the fix an officer (no organisation) was answered 403 for any endpoint id: the house rule is 404."""
    from referrals.models import WebhookEndpoint

    recipient = organisation_recipient("«Ишеним»", "ngo")
    endpoint = WebhookEndpoint.objects.create(organisation=recipient.organisation, url="https://x.example", secret="s")
    client = Client()
    client.force_login(owner)
    for name in ("api-webhook-endpoint", "api-webhook-endpoint-deliveries"):
        assert client.get(reverse(name, args=[endpoint.pk])).status_code == 404
    for name in ("api-webhook-endpoint-test", "api-webhook-endpoint-rotate"):
        assert client.post(reverse(name, args=[endpoint.pk]), {}, content_type="application/json").status_code == 404
    # the list names no endpoint: an officer is still told this is for organisations only
    assert client.get(reverse("api-webhook-endpoints")).status_code == 403


def test_closing_a_hotline_call_sends_an_anonymous_caller_to_sign_in(district):
    """Before the fix the anonymous POST was answered 404 by the desk check instead of the sign-in redirect."""
    import uuid

    response = Client().post(reverse("referrals:hotline_call_close", args=[uuid.uuid4()]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    desk = UserFactory(unit=district, roles=[Role.HOTLINE_OPERATOR])
    client = Client()
    client.force_login(desk)
    assert client.post(reverse("referrals:hotline_call_close", args=[uuid.uuid4()])).status_code == 404


def test_a_malformed_id_on_an_admin_history_page_answers_404_not_500(ministry, owner):
    """Before the fix simple-history filtered with the id as given: a UUID model's history at `…/1/history/` and a
    version that is not a number raised ValidationError or ValueError (500)."""
    superuser = UserFactory(unit=ministry, is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    case = CaseFactory(created_by=owner)
    for path in (
        "/admin/referrals/recipient/1/history/",
        "/admin/referrals/webhookendpoint/1/history/",
        "/admin/cases/case/1/history/",
        f"/admin/cases/case/{case.pk}/history/x/",
        "/admin/referrals/recipient/1/history/1/",
    ):
        assert client.get(path).status_code == 404, path
