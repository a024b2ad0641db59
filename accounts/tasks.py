"""Thin Celery wrappers around the outbox services."""

from celery import shared_task

from . import services


@shared_task(name="accounts.tasks.outbox_deliver", acks_late=True)
def outbox_deliver(message_id: str) -> bool:
    """Deliver one outbox row (idempotent on its id)."""
    return services.outbox_deliver_message(message_id=message_id)


@shared_task(name="accounts.tasks.outbox_relay", acks_late=True)
def outbox_relay() -> int:
    """Queue a delivery for every due outbox row; run by beat so nothing is lost if a queueing failed."""
    ids = services.outbox_claim_due()
    for message_id in ids:
        outbox_deliver.delay(message_id)
    return len(ids)
