"""Writes that concern users and the outbox."""

import logging
import smtplib
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone, translation

from .history import set_history
from .models import Notification, OutboxMessage, User
from .outbox import AttemptOutcome, Channel, DeliveryFailed, channel_of, register_channel
from .sessions import sessions_delete_for_user

logger = logging.getLogger(__name__)

MAX_BACK_OFF_SECONDS = 6 * 3600
# 5xx replies that concern our own server's configuration (password, sender address, the connection itself), not
# this e-mail: every e-mail would fail the same way, so they are retried and delivered once the setting is fixed.
SMTP_CONFIGURATION_ERRORS = (
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
)


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
    outbox_queue_on_commit(messages=messages)
    return messages


def outbox_queue_on_commit(*, messages: Sequence[OutboxMessage]) -> None:
    """Queue the deliveries of outbox rows once the transaction that wrote them commits."""
    message_ids = [str(message.pk) for message in messages]
    if message_ids:
        on_commit(lambda: _queue_deliveries(message_ids))


def users_with_role(*, unit_id: int | None, role: str) -> QuerySet[User]:
    """The active people of one role in one unit: whom a notice to "the duty officer" or "the КИБ" reaches."""
    if unit_id is None:
        return User.objects.none()
    return User.objects.filter(unit_id=unit_id, groups__name=role, is_active=True).distinct().order_by("pk")


def outbox_notify_users(*, recipients, kind: str, params: dict, link: str = "", skip=None) -> list[OutboxMessage]:
    """Tell each of several people the same thing (not `skip`, who caused it); call inside the change's transaction."""
    messages = []
    for recipient in recipients:
        if skip is not None and recipient.pk == skip.pk:
            continue
        messages += outbox_notify_user(recipient=recipient, kind=kind, params=params, link=link)
    return messages


def _queue_deliveries(message_ids: Sequence[str]) -> None:
    """Queue the deliveries of committed rows; when the broker is out, leave them to the relay and let the writer go."""
    from .tasks import outbox_deliver  # the task module imports this one

    for position, message_id in enumerate(message_ids):
        try:
            outbox_deliver.delay(message_id)
        except Exception as exc:  # the rows are committed: the relay queues them when the broker is back
            logger.warning(
                "outbox: %d deliveries not queued (%s); the relay will send them",
                len(message_ids) - position,
                type(exc).__name__,
            )
            return


def outbox_claim_due(*, limit: int | None = None) -> list[str]:
    """Claim due outbox rows so that no other relay queues them at the same time; return their ids.

    A row the relay claimed OUTBOX_MAX_ATTEMPTS times in a row with no attempt recorded in between (each delivery
    died before it could record anything) is given up here instead of being claimed for ever.
    """
    limit = limit or settings.OUTBOX_RELAY_BATCH_SIZE
    max_claims = settings.OUTBOX_MAX_ATTEMPTS
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at")
            .values_list("pk", "claims_since_attempt")[:limit]
        )
        stuck = [pk for pk, claims in due if claims >= max_claims]
        ids = [pk for pk, claims in due if claims < max_claims]
        if stuck:
            OutboxMessage.objects.filter(pk__in=stuck).update(
                status=OutboxMessage.Status.FAILED,
                claimed_until=None,
                last_error=f"claimed {max_claims} times without a recorded attempt",
            )
            for pk in stuck:
                logger.error("outbox delivery given up id=%s: claimed %s times without a result", pk, max_claims)
        OutboxMessage.objects.filter(pk__in=ids).update(
            claimed_until=now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
            claims_since_attempt=F("claims_since_attempt") + 1,
        )
    return [str(pk) for pk in ids]


def outbox_relay_due() -> int:
    """Queue a delivery for every due row, batch after batch until none is due (at most OUTBOX_RELAY_MAX_PER_RUN).

    Run by beat and once when a worker starts, so rows whose queued delivery was lost (a broker wiped or down, a
    process killed between the commit and its on-commit hook) are all sent by one run. Return how many were queued.
    """
    from .tasks import outbox_deliver  # the task module imports this one

    queued = 0
    while queued < settings.OUTBOX_RELAY_MAX_PER_RUN:
        ids = outbox_claim_due(limit=min(settings.OUTBOX_RELAY_BATCH_SIZE, settings.OUTBOX_RELAY_MAX_PER_RUN - queued))
        if not ids:
            break
        for position, message_id in enumerate(ids):
            try:
                outbox_deliver.delay(message_id)
            except Exception as exc:  # the broker went away: free the rest for the next run, uncounted
                OutboxMessage.objects.filter(pk__in=ids[position:]).update(
                    claimed_until=None, claims_since_attempt=Greatest(F("claims_since_attempt") - 1, 0)
                )
                logger.warning("outbox relay stopped after %d rows: %s", queued, type(exc).__name__)
                return queued
            queued += 1
    return queued


def outbox_deliver_message(*, message_id: str) -> bool:
    """Deliver one outbox row exactly once (in-app) or at least once (e-mail); return True when this call delivered it.

    Every failure is recorded on the row, including one raised when the delivery's transaction saves its result or
    commits (a deferred constraint): that transaction has rolled back, so the failure is recorded in a new one.
    """
    stage = "reading"
    try:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(of=("self",))  # recipient is a nullable join
                .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
                .select_related("recipient")
                .first()
            )
            if message is None:
                return False  # already delivered by another worker, or given up
            stage = "while saving the result"
            delivered = _attempt(message)
            stage = "at commit"
    except Exception as exc:
        if stage == "reading":
            raise  # the row could not even be read: nothing to record the failure on; the relay tries again
        _record_failure_after_rollback(message_id, error=f"{type(exc).__name__} {stage}")
        return False
    return delivered


def _attempt(message: OutboxMessage) -> bool:
    """Deliver a locked row and save the outcome on it (and the channel's own record of it), in the caller's
    transaction."""
    channel = channel_of(message.channel)
    try:
        if channel is None:
            raise DeliveryFailed(f"no handler for the channel {message.channel}", permanent=True)
        with transaction.atomic():  # a savepoint: a database error in the delivery leaves the row writable
            detail = channel.deliver(message)
    except Exception as exc:
        failure = exc if isinstance(exc, DeliveryFailed) else DeliveryFailed(type(exc).__name__)
        _record_failed_attempt(
            message, error=failure.error, permanent=failure.permanent, retry_after=failure.retry_after, channel=channel
        )
        if channel is not None and channel.after_attempt is not None:
            outcome = AttemptOutcome(
                succeeded=False, error=failure.error, permanent=failure.permanent, detail=failure.detail
            )
            channel.after_attempt(message, outcome)
        return False
    message.status = OutboxMessage.Status.DELIVERED
    message.delivered_at = timezone.now()
    message.attempts += 1
    message.claims_since_attempt = 0
    message.claimed_until = None
    message.save(update_fields=["status", "delivered_at", "attempts", "claims_since_attempt", "claimed_until"])
    if channel.after_attempt is not None:
        channel.after_attempt(message, AttemptOutcome(succeeded=True, detail=detail))
    return True


def _record_failure_after_rollback(message_id: str, *, error: str) -> None:
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update().filter(pk=message_id, status=OutboxMessage.Status.PENDING).first()
        )
        if message is not None:
            _record_failed_attempt(message, error=error, permanent=False, channel=channel_of(message.channel))


def _record_failed_attempt(
    message: OutboxMessage,
    *,
    error: str,
    permanent: bool,
    channel: Channel | None,
    retry_after: float | None = None,
) -> None:
    """Count a failed attempt; retry later (time kept in the database, never before `retry_after` seconds) or give up
    when permanent or out of the channel's attempts."""
    message.attempts += 1
    message.claims_since_attempt = 0
    message.last_error = error[:300]
    message.claimed_until = None
    if permanent or channel is None or message.attempts >= channel.max_attempts():
        message.status = OutboxMessage.Status.FAILED
    else:
        delay = channel.retry_delay(message.attempts)
        if retry_after is not None:
            delay = max(delay, retry_after)
        message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    message.save(
        update_fields=["attempts", "claims_since_attempt", "last_error", "claimed_until", "status", "next_attempt_at"]
    )
    logger.warning(
        "outbox delivery failed id=%s attempt=%s error=%s status=%s",
        message.pk,
        message.attempts,
        error,
        message.status,
    )


def _describe(exc: Exception) -> str:
    """Name a failure by its class and SMTP reply code only: the text may hold an address."""
    code = _smtp_codes(exc)
    return f"{type(exc).__name__} {code[0]}" if code else type(exc).__name__


def _smtp_codes(exc: Exception) -> list[int]:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return sorted(code for code, _reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return [exc.smtp_code]
    return []


def _is_permanent(exc: Exception) -> bool:
    """A 5xx reply about this e-mail (its recipient, its content): sending it again cannot succeed."""
    codes = _smtp_codes(exc)
    return bool(codes) and all(code >= 500 for code in codes) and not isinstance(exc, SMTP_CONFIGURATION_ERRORS)


def _deliver_in_app(message: OutboxMessage) -> None:
    Notification.objects.get_or_create(
        outbox_message=message,
        defaults={
            "recipient": message.recipient,
            "kind": message.kind,
            "params": message.payload.get("params", {}),
            "link": message.payload.get("link", ""),
        },
    )


def _deliver_email(message: OutboxMessage) -> None:
    from .notifications import render_notification  # texts live with the notification kinds

    # Users keep no language: an e-mail is written in the installation's language, whoever's request sent it.
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = render_notification(
            kind=message.kind, params=message.payload.get("params", {}), link=message.payload.get("link", "")
        )
    email = EmailMessage(
        subject,
        body,
        to=[message.recipient.email],
        # The same for every attempt: a copy sent twice (the worker died after the server accepted it and
        # before the COMMIT) is recognisable as one message.
        headers={"Message-ID": f"<{message.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"},
    )
    try:
        email.send()
    except Exception as exc:
        raise DeliveryFailed(_describe(exc), permanent=_is_permanent(exc)) from exc


def _back_off(attempts: int) -> float:
    return min(2**attempts * 30, MAX_BACK_OFF_SECONDS)


def _max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


register_channel(OutboxMessage.Channel.IN_APP, Channel(_deliver_in_app, _back_off, _max_attempts))
register_channel(OutboxMessage.Channel.EMAIL, Channel(_deliver_email, _back_off, _max_attempts))


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


def user_deactivate(*, user: User, actor: User) -> User:
    """Deactivate a user and end every session they are signed in with, in one transaction."""
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=user.pk)
        if current.is_active:
            current.is_active = False
            set_history(current, actor=actor, reason="deactivated")
            current.save(update_fields=["is_active"])
        sessions_delete_for_user(user_id=current.pk)
    return current
