"""The integrator's guide's example receiver (docs/examples/webhook_receiver.py) against real deliveries of ours.

The example is loaded from its file, served on the loopback, and sent signed webhooks through the outbox as an
organisation's endpoint would be: it must verify them with `standardwebhooks`, skip a `webhook-id` it has handled,
and refuse a forged one.
"""

import importlib.util
import threading
import time
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from standardwebhooks.webhooks import Webhook

from accounts.models import OutboxMessage
from accounts.services import outbox_deliver_message
from referrals import services, webhooks
from referrals.models import WebhookDelivery

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "webhook_receiver.py"


@pytest.fixture
def example():
    spec = importlib.util.spec_from_file_location("webhook_receiver_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def example_receiver(example, tmp_path):
    """Serve the example on a free loopback port; yield (url, events it handled, a function to set its secret)."""
    handled: list[tuple[str, dict]] = []
    state = {}

    def on_event(webhook_id, event):
        handled.append((webhook_id, event))

    class Verifier:
        def verify(self, body, headers):
            return state["webhook"].verify(body, headers)

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), example.make_handler(Verifier(), example.SeenIds(str(tmp_path / "seen.db")), on_event)
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield (
            f"http://127.0.0.1:{server.server_address[1]}/",
            handled,
            lambda secret: state.update(webhook=Webhook(secret)),
        )
    finally:
        server.shutdown()
        server.server_close()


def _wait_until_handled(handled: list, count: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while len(handled) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def test_the_example_receiver_verifies_our_deliveries_and_handles_each_webhook_id_once(
    example_receiver, police_case, adult, ngo, owner, endpoint_of, django_capture_on_commit_callbacks
):
    url, handled, use_secret = example_receiver
    endpoint, secret = endpoint_of(ngo, url)
    use_secret(secret)

    with django_capture_on_commit_callbacks(execute=True):
        test = webhooks.webhook_send_test(endpoint=endpoint)
        referral = services.referral_create(case=police_case, recipient=ngo, actor=owner, victim=adult)
        referral = services.referral_send(referral=referral, actor=owner)

    _wait_until_handled(handled, 2)  # the example answers first, then handles the event
    assert [(webhook_id, event["type"]) for webhook_id, event in handled] == [
        (test.webhook_id, "webhook.test"),
        (WebhookDelivery.objects.get(referral=referral).webhook_id, "referral.created"),
    ]
    assert handled[1][1]["data"]["referral_id"] == str(referral.pk)
    assert set(OutboxMessage.objects.filter(channel="webhook").values_list("status", flat=True)) == {"delivered"}

    # The same delivery once more (a worker died before recording it): answered 2xx, not handled twice.
    OutboxMessage.objects.filter(pk=test.outbox_message_id).update(status="pending")
    assert outbox_deliver_message(message_id=str(test.outbox_message_id)) is True
    time.sleep(0.2)  # what a second handling would take
    assert len(handled) == 2


def test_the_example_receiver_refuses_a_forged_signature_with_400(example_receiver):
    url, handled, use_secret = example_receiver
    use_secret("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY")
    request = urllib.request.Request(  # noqa: S310 - the loopback receiver of this test
        url,
        data=b'{"type": "referral.created", "data": {}}',
        headers={"webhook-id": "msg_1", "webhook-timestamp": "1", "webhook-signature": "v1,Zm9yZ2Vk"},
        method="POST",
    )

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - the loopback receiver of this test

    assert refused.value.code == 400
    assert handled == []
