"""Two relays and two workers at once on PostgreSQL with real row locks: a webhook delivery is sent once, and its
attempt log counts one success."""

import pytest

from accounts import services as outbox
from accounts.models import OutboxMessage
from referrals import webhooks
from referrals.models import WebhookAttempt
from tests.screening.test_races_postgres import run_at_once

from .webhook_receiver import Answer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def left_for_the_relay(monkeypatch):
    """Deliveries written while the broker is away: committed, never queued, left for the relay."""
    monkeypatch.setattr(outbox, "_queue_deliveries", lambda ids: None)


@pytest.mark.parametrize("attempt", range(3))
def test_two_workers_delivering_the_same_row_at_once_send_it_once(
    attempt, ngo, receiver, endpoint_of, left_for_the_relay
):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    receiver.answers = [Answer(200, delay=0.3)]
    delivery = webhooks.webhook_send_test(endpoint=endpoint)
    message_id = str(delivery.outbox_message_id)

    run_at_once(
        lambda: outbox.outbox_deliver_message(message_id=message_id),
        lambda: outbox.outbox_deliver_message(message_id=message_id),
    )

    assert len(receiver.received) == 1
    assert OutboxMessage.objects.get(pk=message_id).status == "delivered"
    assert list(WebhookAttempt.objects.values_list("succeeded", flat=True)) == [True]


@pytest.mark.parametrize("attempt", range(2))
def test_two_relays_at_once_send_every_delivery_exactly_once(attempt, ngo, receiver, endpoint_of, left_for_the_relay):
    endpoint, _secret = endpoint_of(ngo, receiver.url())
    deliveries = [webhooks.webhook_send_test(endpoint=endpoint) for _ in range(20)]

    run_at_once(outbox.outbox_relay_due, outbox.outbox_relay_due)

    ids = sorted(request.headers["webhook-id"] for request in receiver.received)
    assert ids == sorted(delivery.webhook_id for delivery in deliveries)
    assert OutboxMessage.objects.filter(channel="webhook", status="delivered").count() == 20
    assert WebhookAttempt.objects.filter(succeeded=True).count() == 20 == WebhookAttempt.objects.count()
