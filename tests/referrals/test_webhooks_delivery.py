"""Signed webhooks through the outbox, to a local receiver: Standard Webhooks signatures (checked with the
`standardwebhooks` package, not our code), retries kept in the database, 410, Retry-After, redirects, timeouts, and
the URL rules (https, private addresses, the address pinned after the check)."""

import json
import socket
from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from accounts.models import OutboxMessage
from accounts.services import outbox_deliver_message, outbox_relay_due
from referrals import services, webhooks
from referrals.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

from .webhook_receiver import Answer

pytestmark = pytest.mark.django_db


def _sent(police_case, adult, ngo, owner, capture):
    referral = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
    with capture(execute=True):
        return services.referral_send(referral=referral, actor=owner)


def _test_event(endpoint, capture) -> WebhookDelivery:
    with capture(execute=True):
        return webhooks.webhook_send_test(endpoint=endpoint)


def _send_due() -> None:
    """Make every pending webhook row due now and let the relay send them (tasks run eagerly in tests)."""
    OutboxMessage.objects.filter(channel="webhook", status="pending").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1), claimed_until=None
    )
    outbox_relay_due()


def _state(delivery: WebhookDelivery) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=delivery.outbox_message_id)


# -- signatures --------------------------------------------------------------------------------------------------------
def test_a_sent_referral_reaches_the_endpoint_signed_as_standard_webhooks_verify_it(
    police_case, adult, ngo, owner, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    _endpoint, secret = endpoint_of(ngo, receiver.url())

    referral = _sent(police_case, adult, ngo, owner, django_capture_on_commit_callbacks)

    (request,) = receiver.received
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "referral.created"
    assert payload["data"] == {
        "referral_id": str(referral.pk), "organisation": str(ngo.organisation.pk), "status": "sent",
        "change": "sent", "updated_at": payload["data"]["updated_at"],
    }  # fmt: skip
    delivery = WebhookDelivery.objects.get()
    assert request.headers["webhook-id"] == delivery.webhook_id
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"] == "TraffickingCMS-Webhooks/1"
    assert _state(delivery).status == "delivered"
    (attempt,) = delivery.attempts.all()
    assert (attempt.succeeded, attempt.status_code, attempt.error) == (True, 200, "")


def test_a_signature_made_with_another_secret_is_refused_by_the_verifier(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    _test_event(endpoint, django_capture_on_commit_callbacks)

    (request,) = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks._new_secret()).verify(request.body, request.headers)


def test_during_a_rotation_both_the_old_and_the_new_secret_verify_and_after_it_only_the_new(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, old_secret = endpoint_of(ngo, receiver.url())
    endpoint, new_secret = webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint)

    _test_event(endpoint, django_capture_on_commit_callbacks)
    during = receiver.received[-1]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    Webhook(old_secret).verify(during.body, during.headers)
    Webhook(new_secret).verify(during.body, during.headers)

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    _test_event(endpoint, django_capture_on_commit_callbacks)
    after = receiver.received[-1]
    Webhook(new_secret).verify(after.body, after.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(after.body, after.headers)


def test_the_signing_function_matches_the_reference_implementation():
    secret = webhooks._new_secret()
    body = b'{"type":"webhook.test"}'
    now = int(timezone.now().timestamp())

    signature = webhooks.transport.sign(secrets=[secret], msg_id="msg_1", timestamp=now, body=body)

    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now), "webhook-signature": signature}
    assert Webhook(secret).verify(body, headers) == {"type": "webhook.test"}


# -- outcomes ----------------------------------------------------------------------------------------------------------
def test_a_500_is_retried_later_with_the_time_kept_in_the_database_then_delivered_with_the_same_id(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(500)]

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)

    message = _state(delivery)
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "HTTP 500")
    wait = (message.next_attempt_at - timezone.now()).total_seconds()
    assert 3 < wait <= 5.5  # the first retry: 5 s ± 10 %
    _send_due()
    assert _state(delivery).status == "delivered"
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] and first.body == second.body
    Webhook(secret).verify(second.body, second.headers)
    assert [(a.status_code, a.succeeded) for a in delivery.attempts.all()] == [(500, False), (200, True)]


def test_the_retries_follow_the_schedule_and_end_failed_with_the_last_error(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(503)] * webhooks.MAX_ATTEMPTS

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)
    waits = []
    for _ in range(webhooks.MAX_ATTEMPTS - 1):
        message = _state(delivery)
        waits.append((message.next_attempt_at - timezone.now()).total_seconds())
        _send_due()

    message = _state(delivery)
    assert (message.status, message.attempts, message.last_error) == ("failed", 11, "HTTP 503")
    for wait, planned in zip(waits, webhooks.RETRY_DELAYS, strict=True):
        assert planned * 0.9 - 1 <= wait <= planned * 1.1
    assert sum(webhooks.RETRY_DELAYS) / 3600 == pytest.approx(71.6, abs=0.1)  # about three days
    assert delivery.attempts.count() == 11 and len(receiver.received) == 11


def test_a_410_disables_the_endpoint_and_fails_its_pending_deliveries(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(500), Answer(410)]
    waiting = _test_event(endpoint, django_capture_on_commit_callbacks)  # fails once, waits for its retry
    assert _state(waiting).status == "pending"

    gone = _test_event(endpoint, django_capture_on_commit_callbacks)

    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_reason == "gone"
    assert (_state(gone).status, _state(gone).last_error) == ("failed", "HTTP 410")
    assert (_state(waiting).status, _state(waiting).last_error) == ("failed", "endpoint disabled")
    _send_due()
    assert len(receiver.received) == 2


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_in_seconds_puts_the_next_attempt_no_earlier(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks, status
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(status, {"Retry-After": "600"})]

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)

    wait = (_state(delivery).next_attempt_at - timezone.now()).total_seconds()
    assert 590 < wait <= 600
    assert delivery.attempts.get().retry_after_seconds == 600


def test_retry_after_as_an_http_date_is_honoured_and_a_far_one_is_capped_at_a_day(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    in_an_hour = format_datetime(timezone.now() + timedelta(hours=1), usegmt=True)
    receiver.answers = [Answer(429, {"Retry-After": in_an_hour}), Answer(503, {"Retry-After": "9999999"})]

    first = _test_event(endpoint, django_capture_on_commit_callbacks)
    second = _test_event(endpoint, django_capture_on_commit_callbacks)

    assert 3500 < (_state(first).next_attempt_at - timezone.now()).total_seconds() <= 3600
    assert 86_000 < (_state(second).next_attempt_at - timezone.now()).total_seconds() <= 86_400


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(302, {"Location": receiver.url("/elsewhere")})]

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)

    assert [request.path for request in receiver.received] == ["/hooks"]
    assert (_state(delivery).status, _state(delivery).last_error) == ("pending", "HTTP 302")


def test_a_receiver_slower_than_the_timeout_is_a_failed_attempt_retried_later(
    ngo, receiver, endpoint_of, webhook_rules, django_capture_on_commit_callbacks
):
    webhook_rules.WEBHOOK_TIMEOUT_SECONDS = 0.5
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(200, delay=2)]

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)

    message = _state(delivery)
    assert message.status == "pending" and "Timeout" in message.last_error
    attempt = delivery.attempts.get()
    assert attempt.status_code is None and not attempt.succeeded and attempt.duration_ms >= 400


def test_a_receiver_that_is_not_listening_is_a_failed_attempt(ngo, endpoint_of, django_capture_on_commit_callbacks):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    endpoint, _secret = endpoint_of(ngo, f"http://127.0.0.1:{port}/")

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)

    assert _state(delivery).status == "pending" and _state(delivery).last_error


def test_a_delivery_to_a_disabled_endpoint_or_an_inactive_organisation_is_failed_not_sent(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(500), Answer(500)]
    first = _test_event(endpoint, django_capture_on_commit_callbacks)
    second = _test_event(endpoint, django_capture_on_commit_callbacks)

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=False)
    outbox_deliver_message(message_id=str(first.outbox_message_id))
    ngo.organisation.active = False
    ngo.organisation.save()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(active=True)
    outbox_deliver_message(message_id=str(second.outbox_message_id))

    assert (_state(first).status, _state(first).last_error) == ("failed", "endpoint disabled")
    assert (_state(second).status, _state(second).last_error) == ("failed", "organisation inactive")
    assert len(receiver.received) == 2  # only the two first attempts


# -- URL rules ---------------------------------------------------------------------------------------------------------
def test_https_is_required_when_the_setting_says_so_at_registration_and_at_delivery(
    ngo, receiver, endpoint_of, webhook_rules, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    webhook_rules.WEBHOOK_REQUIRE_HTTPS = True

    with pytest.raises(webhooks.ValidationError) as refused:
        endpoint_of(ngo, receiver.url("/other"))
    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)

    assert "https" in str(refused.value.message_dict["url"])
    assert _state(delivery).status == "failed" and _state(delivery).last_error.startswith("URL refused")
    assert receiver.received == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://localhost/", "http://10.1.2.3/", "http://169.254.169.254/latest/", "http://[::1]/",
     "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://100.64.0.1/", "http://224.0.0.1/"],
)  # fmt: skip
def test_private_loopback_link_local_and_reserved_addresses_are_refused_unless_allowed(
    ngo, endpoint_of, webhook_rules, url
):
    webhook_rules.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(webhooks.ValidationError) as refused:
        endpoint_of(ngo, url)
    assert "private" in str(refused.value.message_dict["url"])

    webhook_rules.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint, _secret = endpoint_of(ngo, url)
    assert endpoint.url == url


@pytest.fixture
def fake_dns(monkeypatch):
    """Answer chosen names with chosen addresses (other names resolve as usual)."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_the_connection_goes_to_the_checked_address_with_the_host_name_in_the_host_header(
    ngo, receiver, endpoint_of, fake_dns, django_capture_on_commit_callbacks
):
    fake_dns["hooks.ngo.example"] = ["127.0.0.1"]
    endpoint, secret = endpoint_of(ngo, receiver.url(host="hooks.ngo.example"))

    _test_event(endpoint, django_capture_on_commit_callbacks)

    (request,) = receiver.received
    assert request.headers["host"] == f"hooks.ngo.example:{receiver.port}"
    Webhook(secret).verify(request.body, request.headers)


def test_a_host_name_resolving_to_loopback_is_refused_when_private_addresses_are_not_allowed(
    ngo, receiver, endpoint_of, webhook_rules, fake_dns, django_capture_on_commit_callbacks
):
    fake_dns["hooks.ngo.example"] = ["93.184.215.14"]  # public when registered…
    endpoint, _secret = endpoint_of(ngo, receiver.url(host="hooks.ngo.example"))
    webhook_rules.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    fake_dns["hooks.ngo.example"] = ["127.0.0.1"]  # …rebound to loopback before the delivery

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)

    assert _state(delivery).status == "failed" and "private" in _state(delivery).last_error
    assert receiver.received == []
    fake_dns["rebind.example"] = ["93.184.215.14", "127.0.0.1"]
    with pytest.raises(webhooks.ValidationError):
        endpoint_of(ngo, "http://rebind.example/")


@pytest.mark.parametrize(
    "url",
    ["ftp://hooks.example.org/", "https://user:pass@hooks.example.org/", "https://hooks.example.org/\x00",
     "https://hooks.example.org/\u202e", "https://hooks.example.org/ a", "https://" + "a" * 500 + ".org/",
     "https://hooks.example.org:99999/", "https:///path", "https://hooks.example.org/#frag", ""],
)  # fmt: skip
def test_malformed_urls_are_refused_with_a_field_error(ngo, endpoint_of, url):
    with pytest.raises(webhooks.ValidationError) as refused:
        endpoint_of(ngo, url)
    assert "url" in refused.value.message_dict


def test_a_host_that_does_not_resolve_is_refused(ngo, endpoint_of):
    with pytest.raises(webhooks.ValidationError) as refused:
        endpoint_of(ngo, "https://no-such-host.invalid/hooks")
    assert "resolve" in str(refused.value.message_dict["url"])


# -- the attempt log and the relay -----------------------------------------------------------------------------------
def test_every_attempt_is_logged_without_the_url_or_the_response_body(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks, caplog
):
    endpoint, _secret = endpoint_of(ngo, receiver.url("/hooks?token=s3cret-token"))
    receiver.answers = [Answer(500)]
    caplog.set_level("INFO")

    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)
    _send_due()

    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2
    assert "s3cret-token" not in caplog.text and "127.0.0.1" not in caplog.text
    assert str(delivery.pk) in caplog.text


def test_a_failed_delivery_sent_again_starts_the_schedule_again_and_keeps_its_attempts(
    ngo, receiver, endpoint_of, django_capture_on_commit_callbacks
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(400)] * webhooks.MAX_ATTEMPTS
    delivery = _test_event(endpoint, django_capture_on_commit_callbacks)
    for _ in range(webhooks.MAX_ATTEMPTS - 1):
        _send_due()
    assert _state(delivery).status == "failed"

    with django_capture_on_commit_callbacks(execute=True):
        webhooks.webhook_delivery_retry(delivery=delivery)

    assert _state(delivery).status == "delivered"
    assert delivery.attempts.count() == webhooks.MAX_ATTEMPTS + 1


def test_the_claim_time_comes_from_the_setting(ngo, receiver, endpoint_of, settings):
    settings.OUTBOX_CLAIM_SECONDS = 900
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    webhooks.webhook_send_test(endpoint=endpoint)  # not committed: left to the relay

    from accounts.services import outbox_claim_due

    (claimed,) = outbox_claim_due()
    left = (OutboxMessage.objects.get(pk=claimed).claimed_until - timezone.now()).total_seconds()
    assert 890 < left <= 900


def test_the_body_is_the_same_bytes_for_every_attempt_whatever_order_the_database_keeps():
    assert webhooks.body_of({"b": 1, "a": {"d": 2, "c": "ы"}}) == webhooks.body_of({"a": {"c": "ы", "d": 2}, "b": 1})
    assert json.loads(webhooks.body_of({"a": "ы"})) == {"a": "ы"}
