"""Reads of an organisation's webhook endpoints and their deliveries; another organisation's answers 404."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from accounts.roles import Role

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .webhooks import webhook_id_to_uuid


def webhook_organisation_of(*, user: User) -> Organisation | None:
    """The active organisation whose webhooks a signed-in user manages: NGO staff act for theirs; anyone else none."""
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.NGO_STAFF):
        return None
    if user.organisation_id is None or not user.organisation.active:
        return None
    return user.organisation


def user_may_manage_webhooks(*, user: User) -> bool:
    """For the menu: NGO staff of an organisation (the page itself also checks that the organisation is active)."""
    return user.is_authenticated and user.organisation_id is not None and user.has_role(Role.NGO_STAFF)


def webhook_endpoints_of(*, organisation: Organisation) -> QuerySet[WebhookEndpoint]:
    """Every endpoint of an organisation, active and disabled (a deleted one is kept, disabled, with its log)."""
    return WebhookEndpoint.objects.filter(organisation=organisation).order_by("-active", "created_at")


def webhook_endpoint_get(*, organisation: Organisation | None, endpoint_id: UUID | str) -> WebhookEndpoint:
    """One endpoint of the organisation; Http404 for any other, and for a caller acting for no organisation (a police
    officer or an analyst is refused a named endpoint with the same 404 as a missing one, not a 403)."""
    if organisation is None:
        raise Http404
    endpoint = webhook_endpoints_of(organisation=organisation).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def _deliveries() -> QuerySet[WebhookDelivery]:
    attempts = WebhookAttempt.objects.order_by("attempted_at", "pk")
    return (
        WebhookDelivery.objects.select_related("outbox_message", "endpoint")
        .prefetch_related(Prefetch("attempts", queryset=attempts))
        .order_by("-created_at", "pk")
    )


def webhook_deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """An endpoint's deliveries, newest first, each with its outbox state and its attempts."""
    return _deliveries().filter(endpoint=endpoint)


def webhook_deliveries_of_organisation(*, organisation: Organisation) -> QuerySet[WebhookDelivery]:
    return _deliveries().filter(endpoint__organisation=organisation)


def webhook_delivery_get(*, organisation: Organisation, delivery_id: UUID | str) -> WebhookDelivery:
    """One delivery of the organisation's endpoints, by its id or its `msg_…` webhook id; Http404 for any other."""
    pk = webhook_id_to_uuid(str(delivery_id))
    delivery = webhook_deliveries_of_organisation(organisation=organisation).filter(pk=pk).first() if pk else None
    if delivery is None:
        raise Http404
    return delivery
