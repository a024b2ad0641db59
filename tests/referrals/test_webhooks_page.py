"""The organisation's integration page: its endpoints and deliveries (a failed one visibly failed, with its last
error), and the buttons to enable an endpoint again, send a failed delivery again and send a test event."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import OutboxMessage
from referrals import webhooks
from referrals.models import DisabledReason, WebhookDelivery

from .webhook_receiver import Answer

pytestmark = pytest.mark.django_db

PAGE = "referrals:integration"


def _fail_for_good(delivery: WebhookDelivery) -> None:
    OutboxMessage.objects.filter(pk=delivery.outbox_message_id).update(status="failed", last_error="HTTP 503")


def _in_the_pages_language(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def test_the_page_lists_the_endpoints_and_a_failed_delivery_with_its_last_error(
    client_for, ngo, ngo_user, endpoint_of, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    gone, _secret = endpoint_of(ngo, receiver.url("/old"))
    receiver.answers = [Answer(503), Answer(410)]
    with django_capture_on_commit_callbacks(execute=True):
        failed = webhooks.webhook_send_test(endpoint=endpoint)
        webhooks.webhook_send_test(endpoint=gone)
    _fail_for_good(failed)

    response = client_for(ngo_user).get(reverse(PAGE))

    assert response.status_code == 200
    html = response.content.decode()
    assert receiver.url() in html and _in_the_pages_language(DisabledReason.GONE.label) in html
    assert f'data-delivery="{failed.pk}" data-status="failed"' in html and "HTTP 503" in html
    assert reverse("referrals:webhook_delivery_retry", args=[failed.pk]) in html
    assert reverse("referrals:webhook_endpoint_enable", args=[gone.pk]) in html


def test_the_menu_offers_the_page_to_ngo_staff_only(client_for, ngo_user, owner, ngo):
    assert reverse(PAGE) in client_for(ngo_user).get(reverse("referrals:inbox")).content.decode()
    assert reverse(PAGE) not in client_for(owner).get(reverse("cases:list")).content.decode()


def test_police_and_another_organisations_staff_get_404(client_for, owner, other_ngo_user, ngo, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    delivery = webhooks.webhook_send_test(endpoint=endpoint)

    for user in (owner, other_ngo_user):
        client = client_for(user)
        assert client.get(reverse(PAGE)).status_code == (404 if user == owner else 200)
        assert client.post(reverse("referrals:webhook_endpoint_test", args=[endpoint.pk])).status_code == 404
        assert client.post(reverse("referrals:webhook_endpoint_enable", args=[endpoint.pk])).status_code == 404
        assert client.post(reverse("referrals:webhook_delivery_retry", args=[delivery.pk])).status_code == 404
    assert WebhookDelivery.objects.count() == 1


def test_another_organisations_staff_see_none_of_its_endpoints(client_for, other_ngo_user, ngo, endpoint_of):
    endpoint_of(ngo, "http://127.0.0.1:9/secret-path")

    html = client_for(other_ngo_user).get(reverse(PAGE)).content.decode()

    assert "secret-path" not in html


def test_enable_again_clears_the_reason(client_for, ngo, ngo_user, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    webhooks.webhook_endpoint_disable(endpoint=endpoint, reason="gone")

    response = client_for(ngo_user).post(reverse("referrals:webhook_endpoint_enable", args=[endpoint.pk]))

    endpoint.refresh_from_db()
    assert response.status_code == 302 and endpoint.active and endpoint.disabled_reason == ""
    assert endpoint.history.first().history_user == ngo_user


def test_send_again_resets_a_failed_delivery_to_pending_and_keeps_its_attempts(
    client_for, ngo, ngo_user, endpoint_of, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(500)]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhooks.webhook_send_test(endpoint=endpoint)
    _fail_for_good(delivery)
    receiver.answers = [Answer(500)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ngo_user).post(reverse("referrals:webhook_delivery_retry", args=[delivery.pk]))

    message = OutboxMessage.objects.get(pk=delivery.outbox_message_id)
    assert response.status_code == 302
    assert (message.status, message.attempts) == ("pending", 1)  # sent again at once, failed once, waits to retry
    assert delivery.attempts.count() == 2


def test_send_again_refuses_a_delivery_that_has_not_failed(client_for, ngo, ngo_user, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")
    delivery = webhooks.webhook_send_test(endpoint=endpoint)

    client = client_for(ngo_user)
    response = client.post(reverse("referrals:webhook_delivery_retry", args=[delivery.pk]), follow=True)

    assert response.status_code == 200 and len(response.context["messages"]) == 1
    assert OutboxMessage.objects.get(pk=delivery.outbox_message_id).attempts == 0


def test_the_test_button_sends_a_signed_test_event(
    client_for, ngo, ngo_user, endpoint_of, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_of(ngo, receiver.url())

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ngo_user).post(reverse("referrals:webhook_endpoint_test", args=[endpoint.pk]))

    from standardwebhooks import Webhook

    assert response.status_code == 302
    (request,) = receiver.received
    assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"


def test_the_page_reads_in_kyrgyz_and_russian(client_for, ngo_user, client):
    client = client_for(ngo_user)
    client.cookies["cms_language"] = "ru"
    assert "Интеграция: вебхуки" in client.get(reverse(PAGE)).content.decode()
    client.cookies["cms_language"] = "ky"
    assert "Интеграция: вебхуктар" in client.get(reverse(PAGE)).content.decode()


def test_the_buttons_are_posts_only(client_for, ngo, ngo_user, endpoint_of):
    endpoint, _secret = endpoint_of(ngo, "http://127.0.0.1:9/hooks")

    response = client_for(ngo_user).get(reverse("referrals:webhook_endpoint_test", args=[endpoint.pk]))

    assert response.status_code == 405 and WebhookDelivery.objects.count() == 0
