"""The organisation's Integration page in a real browser: the NGO's staff member (demo user `ngo`, `demo-ngo-a`) finds
a webhook delivery that kept failing, with its last error, sends it again once the receiver answers, and enables an
endpoint its receiver disabled with 410 Gone.

The receiver is a local HTTP server of the test; deliveries run in the live server's process (tasks are eager in
tests). Checks rest on data attributes and the database; the screenshots under test-results/e2e/ are for looking at.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organisation, OutboxMessage
from accounts.services import outbox_deliver_message
from referrals import webhooks
from referrals.models import WebhookEndpoint
from tests.referrals.webhook_receiver import Answer, Receiver

pytestmark = pytest.mark.browser


def _go(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _fail_to_the_end(delivery) -> None:
    """Run every attempt of the schedule now (the receiver answers 503 to each): the delivery ends failed."""
    message_id = str(delivery.outbox_message_id)
    while OutboxMessage.objects.get(pk=message_id).status == OutboxMessage.Status.PENDING:
        OutboxMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now(), claimed_until=None)
        outbox_deliver_message(message_id=message_id)


def test_the_ngo_sees_a_failed_delivery_with_its_last_error_sends_it_again_and_enables_a_gone_endpoint(
    login, new_context, shot, demo_data
):
    organisation = Organisation.objects.get(code="demo-ngo-a")
    with Receiver() as receiver:
        receiver.default = Answer(status=503)
        endpoint, _secret = webhooks.webhook_endpoint_create(
            organisation=organisation, url=receiver.url("/cms"), event_types=["referral.created", "referral.updated"],
            description="Ишеним: иш жүргүзүү системасы",
        )  # fmt: skip
        delivery = webhooks.webhook_send_test(endpoint=endpoint)
        _fail_to_the_end(delivery)
        assert len(receiver.snapshot()) == webhooks.MAX_ATTEMPTS

        page = login(new_context().new_page(), "ngo")
        _go(page, ".mainnav a[href$='/referrals/integration/']")
        row = page.locator(f"#deliveries tr[data-delivery='{delivery.pk}']")
        expect(row).to_have_attribute("data-status", "failed")
        expect(row).to_contain_text("HTTP 503")
        shot(page, "44-integration-01-ngo-sees-a-failed-delivery")

        # the receiver is mended: sending again delivers it, and the row says so
        receiver.default = Answer(status=204)
        _go(page, f"#deliveries tr[data-delivery='{delivery.pk}'] form button")
        expect(page.locator(f"#deliveries tr[data-delivery='{delivery.pk}']")).to_have_attribute(
            "data-status", "delivered"
        )
        assert len(receiver.snapshot()) == webhooks.MAX_ATTEMPTS + 1
        shot(page, "44-integration-02-sent-again-and-delivered")

        # a receiver that answers 410 Gone turns the endpoint off; the staff member turns it on again
        receiver.default = Answer(status=410)
        webhooks.webhook_send_test(endpoint=endpoint)
        page.reload()
        endpoint_row = page.locator(f"#endpoints tr[data-endpoint='{endpoint.pk}']")
        expect(endpoint_row).to_have_class("inactive")
        shot(page, "44-integration-03-endpoint-disabled-by-410")
        _go(page, f"#endpoints tr[data-endpoint='{endpoint.pk}'] form button")
        assert WebhookEndpoint.objects.get(pk=endpoint.pk).active
        expect(page.locator(f"#endpoints tr[data-endpoint='{endpoint.pk}']")).not_to_have_class("inactive")
        shot(page, "44-integration-04-endpoint-enabled-again")
