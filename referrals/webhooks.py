"""Signed webhooks to organisations' systems, through the outbox (ARCHITECTURE §6): the endpoints' services, the
events the referral services emit, and the outbox channel that delivers them.

A delivery is an outbox row (channel "webhook") written in the transaction of the change; the relay and the worker
deliver it like any other row. Its retries follow Standard Webhooks' schedule over about three days, kept in
`next_attempt_at`; every attempt is appended to WebhookAttempt in the transaction that records its outcome.
Payloads are thin (ids, states, times): the organisation reads the referral through the API, where consent and the
access log apply. Logs name endpoints and deliveries by id, never by URL.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import time
from datetime import UTC, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import set_history
from accounts.models import ApiKey, Organisation, OutboxMessage, User
from accounts.outbox import AttemptOutcome, Channel, DeliveryFailed, register_channel, retry_schedule
from accounts.services import outbox_queue_on_commit
from accounts.validators import validate_no_hidden_characters

from . import webhook_transport as transport
from .models import (
    SUBSCRIBABLE_EVENTS,
    DisabledReason,
    Referral,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

# Standard Webhooks' schedule: the waits after the 1st, 2nd, … failed attempt (about three days, 11 attempts).
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600, 14 * 3600, 14 * 3600, 16 * 3600)
RETRY_JITTER = 0.1
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long the secret before a rotation also signs, so that the receiver can switch without losing events.
ROTATION_OVERLAP = timedelta(hours=24)
SECRET_BYTES = 24
# What changed, in a referral.updated event.
CHANGES = ("accepted", "declined", "service_recorded", "closed", "reopened", "consent_changed", "external_ref")


# ---------------------------------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------------------------------
def _new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _checked_url(url: str) -> str:
    try:
        transport.check_url(url)
    except transport.UrlRefused as exc:
        raise ValidationError({"url": str(exc)}) from exc
    return url


def _checked_event_types(event_types) -> list[str]:
    if not isinstance(event_types, list | tuple) or not event_types:
        raise ValidationError({"event_types": "Choose at least one event."})
    if unknown := [str(event) for event in event_types if event not in SUBSCRIBABLE_EVENTS]:
        raise ValidationError({"event_types": f"Unknown events: {', '.join(sorted(unknown))[:200]}."})
    return [event for event in SUBSCRIBABLE_EVENTS if event in event_types]


def _checked_description(description: str) -> str:
    description = (description or "").strip()
    validate_no_hidden_characters(description)
    if len(description) > 200:
        raise ValidationError({"description": "At most 200 characters."})
    return description


def _who(actor: User | None, api_key: ApiKey | None, what: str) -> str:
    return f"{what} (API key {api_key.prefix})" if api_key is not None and actor is None else what


def _check_room_for_one_more(organisation_id: int) -> None:
    """Refuse one more active endpoint past the organisation's limit. The organisation's row is locked first, so two
    registrations or re-enablings at once cannot both pass it; call inside the change's transaction."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).values_list("pk", flat=True).first()
    limit = settings.WEBHOOK_MAX_ENDPOINTS_PER_ORGANISATION
    if WebhookEndpoint.objects.filter(organisation_id=organisation_id, active=True).count() >= limit:
        raise ValidationError(f"An organisation may have at most {limit} active endpoints.")


def webhook_endpoint_create(
    *,
    organisation: Organisation,
    url: str,
    event_types: list[str],
    description: str = "",
    actor: User | None = None,
    api_key: ApiKey | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint of an organisation; return it and its secret (shown this once, never again)."""
    url = _checked_url(url)
    event_types = _checked_event_types(event_types)
    description = _checked_description(description)
    with transaction.atomic():
        _check_room_for_one_more(organisation.pk)
        secret = _new_secret()
        endpoint = WebhookEndpoint(
            organisation=organisation, url=url, event_types=event_types, description=description, secret=secret
        )
        set_history(endpoint, actor=actor, reason=_who(actor, api_key, "created"))
        endpoint.save()
    logger.info("webhook endpoint created id=%s organisation=%s", endpoint.pk, organisation.pk)
    return endpoint, secret


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    actor: User | None = None,
    api_key: ApiKey | None = None,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint's URL, events, description or whether it is active (re-enabling one clears why it was
    disabled); fields left None stay."""
    if url is not None:
        url = _checked_url(url)
    if event_types is not None:
        event_types = _checked_event_types(event_types)
    if description is not None:
        description = _checked_description(description)
    with transaction.atomic():
        current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if active is True and not current.active:
            _check_room_for_one_more(current.organisation_id)
            current.active = True
            current.disabled_at = None
            current.disabled_reason = ""
        elif active is False and current.active:
            _disable(current, reason=DisabledReason.TURNED_OFF)
        for name, value in (("url", url), ("event_types", event_types), ("description", description)):
            if value is not None:
                setattr(current, name, value)
        set_history(current, actor=actor, reason=_who(actor, api_key, "changed"))
        current.save()
    return current


def webhook_endpoint_disable(
    *, endpoint: WebhookEndpoint, reason: str, actor: User | None = None, api_key: ApiKey | None = None
) -> WebhookEndpoint:
    """Stop sending to an endpoint (its log stays), for a `DisabledReason`; the deliveries still pending for it are
    failed."""
    if reason not in DisabledReason.values:
        raise ValueError(f"unknown reason {reason!r}")
    with transaction.atomic():
        current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if current.active:
            _disable(current, reason=reason)
            set_history(current, actor=actor, reason=_who(actor, api_key, "disabled"))
            current.save()
    return current


def _disable(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """Mark a locked endpoint disabled and fail its pending deliveries (those another worker is sending are left to
    it: it finds the endpoint disabled, or its own answer decides); the caller saves the endpoint."""
    endpoint.active = False
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = reason
    pending = list(
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(webhook_delivery__endpoint=endpoint, status=OutboxMessage.Status.PENDING)
        .values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(pk__in=pending).update(
        status=OutboxMessage.Status.FAILED, claimed_until=None, last_error="endpoint disabled"
    )
    logger.warning("webhook endpoint disabled id=%s pending failed=%d", endpoint.pk, len(pending))


def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor: User | None = None, api_key: ApiKey | None = None
) -> tuple[WebhookEndpoint, str]:
    """Give an endpoint a new secret (returned this once); the old one also signs for ROTATION_OVERLAP."""
    with transaction.atomic():
        current = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        secret = _new_secret()
        current.previous_secret = current.secret
        current.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
        current.secret = secret
        set_history(current, actor=actor, reason=_who(actor, api_key, "secret rotated"))
        current.save()
    return current, secret


def webhook_send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Send a signed `webhook.test` event to an active endpoint through the outbox."""
    with transaction.atomic():
        current = WebhookEndpoint.objects.select_related("organisation").get(pk=endpoint.pk)
        if not current.active or not current.organisation.active:
            raise ValidationError(_("The endpoint is disabled: enable it first."))
        data = {"organisation": _organisation_ref(current.organisation), "endpoint_id": str(current.pk)}
        delivery = _write_delivery(current, event_type=WebhookEvent.TEST, referral=None, data=data)
        outbox_queue_on_commit(messages=[delivery.outbox_message])
    return delivery


def webhook_delivery_retry(*, delivery: WebhookDelivery, actor: User | None = None) -> WebhookDelivery:
    """Send a failed delivery again from the start of the schedule (its attempts stay in the log)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=delivery.outbox_message_id)
        endpoint = WebhookEndpoint.objects.select_related("organisation").get(pk=delivery.endpoint_id)
        if message.status != OutboxMessage.Status.FAILED:
            raise ValidationError(_("Only a failed delivery can be sent again."))
        if not endpoint.active or not endpoint.organisation.active:
            raise ValidationError(_("The endpoint is disabled: enable it first."))
        message.status = OutboxMessage.Status.PENDING
        message.attempts = 0
        message.claims_since_attempt = 0
        message.claimed_until = None
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "claims_since_attempt", "claimed_until", "next_attempt_at"])
        outbox_queue_on_commit(messages=[message])
    logger.info("webhook delivery retried id=%s by user=%s", delivery.pk, actor.pk if actor else None)
    delivery.outbox_message = message
    return delivery


# ---------------------------------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------------------------------
def _organisation_ref(organisation: Organisation) -> str:
    return organisation.code or str(organisation.pk)


def webhook_emit(*, referral: Referral, event_type: str, change: str) -> list[WebhookDelivery]:
    """Write a delivery for every active endpoint of the referral's organisation subscribed to the event; call inside
    the change's transaction (they are queued once it commits). Police units have no endpoints."""
    if event_type not in SUBSCRIBABLE_EVENTS:
        raise ValueError(f"unknown webhook event {event_type}")
    organisation_id = referral.recipient.organisation_id
    if organisation_id is None:
        return []
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            organisation_id=organisation_id, active=True, organisation__active=True
        ).select_related("organisation")
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    data = {
        "referral_id": str(referral.pk),
        "organisation": _organisation_ref(endpoints[0].organisation),
        "status": referral.status,
        "change": change,
        "updated_at": _iso(referral.updated_at or timezone.now()),
    }
    deliveries = [
        _write_delivery(endpoint, event_type=event_type, referral=referral, data=data) for endpoint in endpoints
    ]
    outbox_queue_on_commit(messages=[delivery.outbox_message for delivery in deliveries])
    return deliveries


def _iso(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _write_delivery(endpoint: WebhookEndpoint, *, event_type: str, referral: Referral | None, data: dict):
    now = timezone.now()
    payload = {"type": str(event_type), "timestamp": _iso(now), "data": data}
    message = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.WEBHOOK, kind=str(event_type), payload=payload, created_at=now
    )
    return WebhookDelivery.objects.create(
        outbox_message=message, endpoint=endpoint, event_type=event_type, referral=referral, created_at=now
    )


def body_of(payload: dict) -> bytes:
    """The request body: the same bytes for every attempt (keys sorted: the database may reorder them)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# ---------------------------------------------------------------------------------------------------------------------
# The outbox channel
# ---------------------------------------------------------------------------------------------------------------------
def signing_secrets(endpoint: WebhookEndpoint, *, now=None) -> list[str]:
    """The secrets that sign now: the current one, and the previous one until its overlap ends."""
    now = now or timezone.now()
    current = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now:
        current.append(endpoint.previous_secret)
    return current


def deliver_webhook(message: OutboxMessage) -> dict:
    """Deliver one webhook row (the outbox holds its lock): POST the signed body, or raise DeliveryFailed."""
    delivery = WebhookDelivery.objects.select_related("endpoint__organisation").get(outbox_message=message)
    endpoint = delivery.endpoint
    if not endpoint.active:
        raise DeliveryFailed("endpoint disabled", permanent=True, detail={"sent": False})
    if not endpoint.organisation.active:
        raise DeliveryFailed("organisation inactive", permanent=True, detail={"sent": False})
    try:
        target = transport.check_url(endpoint.url)
    except transport.UrlRefused as exc:  # the rules or the DNS answer changed since it was registered
        raise DeliveryFailed(f"URL refused: {exc}"[:100], permanent=True, detail={"sent": False}) from exc
    body = body_of(message.payload)
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": transport.USER_AGENT,
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": transport.sign(
            secrets=signing_secrets(endpoint), msg_id=delivery.webhook_id, timestamp=timestamp, body=body
        ),
    }
    started = time.monotonic()
    try:
        response = transport.post(target, body=body, headers=headers)
    except Exception as exc:  # network: refused, timed out, TLS; the class names it, the text may hold the host
        detail = {"sent": True, "duration_ms": transport.elapsed_ms(started)}
        raise DeliveryFailed(type(exc).__name__, detail=detail) from exc
    detail = {"sent": True, "status_code": response.status, "duration_ms": response.duration_ms}
    if 200 <= response.status < 300:
        return detail
    error = f"HTTP {response.status}"
    if response.status == 410:
        raise DeliveryFailed(error, permanent=True, detail={**detail, "gone": True})
    retry_after = response.retry_after if response.status in (429, 503) else None
    raise DeliveryFailed(error, retry_after=retry_after, detail={**detail, "retry_after": retry_after})


def record_webhook_attempt(message: OutboxMessage, outcome: AttemptOutcome) -> None:
    """Append the attempt to the log (in the outcome's transaction); a 410 disables the endpoint."""
    detail = outcome.detail or {}
    delivery = WebhookDelivery.objects.get(outbox_message=message)
    retry_after = detail.get("retry_after")
    WebhookAttempt.objects.create(
        delivery=delivery,
        status_code=detail.get("status_code"),
        error=outcome.error[:100],
        duration_ms=detail.get("duration_ms", 0),
        succeeded=outcome.succeeded,
        retry_after_seconds=int(retry_after) if retry_after is not None else None,
    )
    logger.info(
        "webhook attempt delivery=%s endpoint=%s succeeded=%s status=%s error=%s",
        delivery.pk, delivery.endpoint_id, outcome.succeeded, detail.get("status_code"), outcome.error,
    )  # fmt: skip
    if detail.get("gone"):
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        if endpoint.active:
            _disable(endpoint, reason=DisabledReason.GONE)
            set_history(endpoint, actor=None, reason="disabled: 410 Gone")
            endpoint.save()


def register() -> None:
    """Register the webhook channel with the outbox (called when the app is ready)."""
    register_channel(
        OutboxMessage.Channel.WEBHOOK,
        Channel(
            deliver=deliver_webhook,
            retry_delay=retry_schedule(RETRY_DELAYS, jitter=RETRY_JITTER),
            max_attempts=lambda: MAX_ATTEMPTS,
            after_attempt=record_webhook_attempt,
        ),
    )


def webhook_id_to_uuid(value: str) -> UUID | None:
    """The delivery id of a `msg_<hex>` webhook id (or of a plain UUID); None when it is neither."""
    try:
        return UUID(value.removeprefix("msg_"))
    except (ValueError, AttributeError):
        return None
