"""The outbox on PostgreSQL: a COMMIT that fails (a deferred constraint), relays claiming at the same moment.

Transactional tests: each delivery commits for real, and every thread has its own connection.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts import services
from accounts.models import Notification, OutboxMessage
from accounts.roles import Role
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THREADS = 8
JOIN_SECONDS = 120.0  # bounds a hang only


@pytest.fixture
def inspector():
    return UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR], email="")


def _pending_in_app_rows(recipient, count: int) -> list[OutboxMessage]:
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=OutboxMessage.Channel.IN_APP, kind="case_assigned", recipient=recipient, payload={})
        for _ in range(count)
    )


def test_a_delivery_refused_at_commit_is_recorded_in_a_new_transaction(inspector, notification_commit_fails):
    (message,) = _pending_in_app_rows(inspector, 1)
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() + timedelta(minutes=2))
    before = timezone.now()

    assert services.outbox_deliver_message(message_id=str(message.pk)) is False

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert message.last_error == "IntegrityError at commit"
    assert message.claimed_until is None
    assert message.next_attempt_at > before
    assert not Notification.objects.exists()


def test_a_delivery_refused_at_every_commit_ends_failed_after_the_configured_attempts(
    inspector, notification_commit_fails, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    (message,) = _pending_in_app_rows(inspector, 1)

    for _ in range(3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert services.outbox_deliver_message(message_id=str(message.pk)) is False

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        OutboxMessage.Status.FAILED,
        3,
        "IntegrityError at commit",
    )
    assert services.outbox_claim_due() == []


def test_relays_claiming_at_the_same_moment_each_get_other_rows(inspector, settings):
    settings.OUTBOX_RELAY_BATCH_SIZE = 10
    rows = _pending_in_app_rows(inspector, 200)
    barrier = threading.Barrier(THREADS)
    claimed: list[list[str]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def relay() -> None:
        try:
            barrier.wait(timeout=JOIN_SECONDS)
            while ids := services.outbox_claim_due():
                with lock:
                    claimed.append(ids)
        except Exception as exc:
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)

    assert errors == []
    every_claim = [message_id for batch in claimed for message_id in batch]
    assert sorted(every_claim) == sorted(str(row.pk) for row in rows)  # each row once, none left out
    assert set(OutboxMessage.objects.values_list("claims_since_attempt", flat=True)) == {1}


def test_two_workers_delivering_the_same_row_at_once_notify_once(inspector):
    (message,) = _pending_in_app_rows(inspector, 1)
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def deliver() -> None:
        try:
            barrier.wait(timeout=JOIN_SECONDS)
            results.append(services.outbox_deliver_message(message_id=str(message.pk)))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)

    assert sorted(results) == [False, True]
    assert Notification.objects.filter(outbox_message=message).count() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.DELIVERED, 1)
