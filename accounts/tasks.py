"""Thin Celery wrappers around the outbox services; their results are not kept (nothing reads them)."""

from celery import shared_task

from . import services


@shared_task(name="accounts.tasks.outbox_deliver", acks_late=True, ignore_result=True)
def outbox_deliver(message_id: str) -> bool:
    """Deliver one outbox row (idempotent on its id)."""
    return services.outbox_deliver_message(message_id=message_id)


@shared_task(name="accounts.tasks.outbox_relay", acks_late=True, ignore_result=True)
def outbox_relay() -> int:
    """Queue a delivery for every due outbox row; run by beat and at a worker's start, so nothing queued is lost."""
    return services.outbox_relay_due()
