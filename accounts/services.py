"""Writes that concern users and the outbox."""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Notification, OutboxMessage, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
CLAIM_SECONDS = 120


def on_commit(callback) -> None:
    """Run a side effect only once the surrounding transaction has committed."""
    transaction.on_commit(callback, robust=True)


def outbox_notify_user(*, recipient: User, kind: str, params: dict, link: str = "") -> list[OutboxMessage]:
    """Write the outbox rows that tell one user something; call inside the transaction of the change."""
    messages = [
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.IN_APP,
            kind=kind,
            recipient=recipient,
            payload={"params": params, "link": link},
        )
    ]
    if recipient.email:
        messages.append(
            OutboxMessage.objects.create(
                channel=OutboxMessage.Channel.EMAIL,
                kind=kind,
                recipient=recipient,
                payload={"params": params, "link": link},
            )
        )
    from .tasks import outbox_deliver  # the task module imports this one

    for message in messages:
        message_id = str(message.pk)
        on_commit(lambda message_id=message_id: outbox_deliver.delay(message_id))
    return messages


def outbox_claim_due(*, limit: int = 100) -> list[str]:
    """Claim due outbox rows so that no other relay queues them at the same time; return their ids."""
    now = timezone.now()
    with transaction.atomic():
        due = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        ids = list(due)
        OutboxMessage.objects.filter(pk__in=ids).update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    return [str(pk) for pk in ids]


def outbox_deliver_message(*, message_id: str) -> bool:
    """Deliver one outbox row exactly once; return True when this call delivered it."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(of=("self",))  # recipient is a nullable join
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .select_related("recipient")
            .first()
        )
        if message is None:
            return False  # already delivered by another worker, or given up
        try:
            _deliver(message)
        except Exception as exc:  # a transient failure: retry later, time kept in the database
            message.attempts += 1
            message.last_error = type(exc).__name__
            message.claimed_until = None
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            else:
                message.next_attempt_at = timezone.now() + timedelta(seconds=min(2**message.attempts * 30, 6 * 3600))
            message.save(update_fields=["attempts", "last_error", "claimed_until", "status", "next_attempt_at"])
            logger.warning("outbox delivery failed id=%s attempt=%s", message.pk, message.attempts)
            return False
        message.status = OutboxMessage.Status.DELIVERED
        message.delivered_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["status", "delivered_at", "attempts"])
    return True


def _deliver(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.IN_APP:
        Notification.objects.get_or_create(
            outbox_message=message,
            defaults={
                "recipient": message.recipient,
                "kind": message.kind,
                "params": message.payload.get("params", {}),
                "link": message.payload.get("link", ""),
            },
        )
    elif message.channel == OutboxMessage.Channel.EMAIL:
        from .notifications import render_notification  # texts live with the notification kinds

        subject, body = render_notification(
            kind=message.kind, params=message.payload.get("params", {}), link=message.payload.get("link", "")
        )
        send_mail(subject, body, None, [message.recipient.email])


def notification_mark_read(*, notification: Notification) -> None:
    """Mark one of the reader's notifications as read."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_read(*, recipient: User, notification_ids: list | None = None) -> int:
    """Mark the recipient's unread notifications (all, or the given ones) as read in one UPDATE; return how many."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
