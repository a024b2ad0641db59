"""The outbox delivered by a REAL Celery worker through the real Redis broker (CI: REDIS_URL set, else skipped).

The worker runs in a thread of the test process (celery.contrib.testing.worker.start_worker, solo pool) and
consumes a queue of its own, so stale tasks of earlier runs and any other worker on the same Redis stay out of it.
The tests are transactional: the worker thread has its own database connection and sees only committed rows.
"""

import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import redis
from celery import signals
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import Notification, OutboxMessage
from accounts.roles import Role
from accounts.tasks import outbox_deliver, outbox_relay
from cases.services import case_create
from tests.factories import UnitFactory, UserFactory

# serialized_rollback: the flush after each test leaves no re-created rows behind (content types, permissions with new
# ids on PostgreSQL, whose sequences a flush does not reset), so later serialized-rollback tests (tests/e2e) can restore
# the migrated data with its original ids.
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT = 30.0  # seconds; a delivery takes milliseconds, this only bounds a hang


class WorkerRun:
    """The running worker: its queue, the tasks it has finished (name, args, return value, thread) and failures."""

    def __init__(self, queue: str) -> None:
        self.queue = queue
        self.finished: list[tuple[str, tuple, Any, str]] = []
        self.failures: list[str] = []
        self._lock = threading.Lock()

    def record(self, sender=None, args=None, retval=None, **kwargs) -> None:
        with self._lock:
            self.finished.append((sender.name, tuple(args or ()), retval, threading.current_thread().name))

    def record_failure(self, sender=None, exception=None, **kwargs) -> None:
        with self._lock:
            self.failures.append(f"{sender.name}: {type(exception).__name__}: {exception}".strip())

    def runs_of(self, task_name: str) -> list[tuple[str, tuple, Any, str]]:
        with self._lock:
            return [run for run in self.finished if run[0] == task_name]

    def returns_of(self, task_name: str, args: tuple = (), *, count: int = 1) -> list[Any]:
        """Wait until `count` runs of the task with these arguments finished; return their return values.

        Task results are not stored (nothing reads them in production), so tests read them from task_postrun.
        """

        def finished() -> list | None:
            runs = [run for run in self.runs_of(task_name) if run[1] == args]
            return runs if len(runs) >= count else None

        runs = self.wait_until(finished, what=f"{count} finished run(s) of {task_name}{args}")
        return [run[2] for run in runs]

    def wait_until(self, predicate: Callable[[], Any], *, what: str, timeout: float = TIMEOUT) -> Any:
        """Poll until `predicate` returns something truthy; fail at once if a task raised, or after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            with self._lock:
                if self.failures:
                    pytest.fail(f"a task failed in the worker while waiting for {what}: {self.failures}")
            if time.monotonic() >= deadline:
                pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def module_worker():
    """Start one real worker for this module, on a queue no one else uses; stop it and drop the queue afterwards."""
    from celery.contrib.testing import tasks as testing_tasks  # registers celery.ping for the start-up check
    from celery.contrib.testing.worker import start_worker

    from trafficking_cms.celery import app

    assert testing_tasks.ping.name in app.tasks
    assert app.conf.broker_url.startswith("redis://"), "REDIS_URL must point the broker at Redis"
    queue = f"test-outbox-{uuid.uuid4().hex[:12]}"
    saved = {name: app.conf[name] for name in ("task_always_eager", "task_default_queue", "worker_hijack_root_logger")}
    # With REDIS_URL set the settings are not eager already; say it here so the test cannot pass in eager mode.
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue  # every .delay() of the app (ours and the worker's own) goes to this queue
    app.conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
    # The start-up check reads the ping's result: the one task here whose result is kept (ignored by default).
    ping_ignored_result, testing_tasks.ping.ignore_result = testing_tasks.ping.ignore_result, False
    run = WorkerRun(queue)
    signals.task_postrun.connect(run.record, weak=False)
    signals.task_failure.connect(run.record_failure, weak=False)
    try:
        with start_worker(app, pool="solo", concurrency=1, queues=[queue], perform_ping_check=True, loglevel="WARNING"):
            yield run
    finally:
        signals.task_postrun.disconnect(run.record)
        signals.task_failure.disconnect(run.record_failure)
        for name, value in saved.items():
            app.conf[name] = value
        testing_tasks.ping.ignore_result = ping_ignored_result
        # Best-effort clean-up of the queue and its bindings (a channel deletes only the bindings it declared).
        with app.connection_for_write() as connection, contextlib.suppress(Exception):
            bound = app.amqp.queues[queue](connection.default_channel)
            bound.declare()
            bound.delete()


@pytest.fixture
def worker(module_worker):
    """The module's worker, with a clean record for this test."""
    with module_worker._lock:
        module_worker.finished.clear()
        module_worker.failures.clear()
    return module_worker


def _in_app_message(recipient) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.IN_APP,
        kind="case_assigned",
        recipient=recipient,
        payload={"params": {"case_number": "TEST-2026-00001", "case_id": str(uuid.uuid4())}, "link": ""},
    )


def test_assigning_a_case_notifies_the_officer_through_the_worker(worker):
    unit = UnitFactory()
    duty_officer = UserFactory(unit=unit, roles=[Role.DUTY_OFFICER])
    inspector = UserFactory(unit=unit, roles=[Role.INSPECTOR])

    case = case_create(actor=duty_officer, data={"source": "citizen", "assigned_officer": inspector})

    # The outbox row was written in the same transaction as the case, for the newly assigned officer only.
    message = OutboxMessage.objects.get(recipient=inspector, channel=OutboxMessage.Channel.IN_APP)
    assert message.kind == "case_assigned"
    assert message.payload["params"]["case_id"] == str(case.pk)
    assert not OutboxMessage.objects.filter(recipient=duty_officer).exists()

    # The delivery queued on commit is done by the worker, not in this thread.
    notification = worker.wait_until(
        lambda: Notification.objects.filter(recipient=inspector, outbox_message=message).first(),
        what="the worker to create the in-app notification",
    )
    worker.wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.DELIVERED).exists(),
        what="the outbox row to be marked delivered",
    )
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 1
    assert notification.kind == "case_assigned"
    assert notification.params["case_number"] == case.number
    assert Notification.objects.filter(recipient=inspector).count() == 1

    deliveries = worker.wait_until(
        lambda: [run for run in worker.runs_of(outbox_deliver.name) if run[1] == (str(message.pk),)],
        what="the worker to report the finished task",
    )
    assert deliveries[0][2] is True
    assert deliveries[0][3] != threading.main_thread().name


def test_relay_queues_a_message_left_pending_and_redelivery_is_a_no_op(worker):
    inspector = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR])
    # Committed, but nothing queued its delivery: as if the process died between the commit and the on_commit hook.
    message = _in_app_message(inspector)
    assert message.status == OutboxMessage.Status.PENDING

    outbox_relay.delay()
    assert worker.returns_of(outbox_relay.name) == [1]  # the relay, run by the worker, claims and queues it

    worker.wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.DELIVERED).exists(),
        what="the relayed outbox row to be delivered",
    )
    assert Notification.objects.filter(recipient=inspector, outbox_message=message).count() == 1

    # A second delivery of the same id (a duplicate from the relay, a broker redelivery) changes nothing.
    outbox_deliver.delay(str(message.pk))
    outbox_deliver.delay(str(message.pk))
    assert worker.returns_of(outbox_deliver.name, (str(message.pk),), count=3) == [True, False, False]
    assert Notification.objects.filter(recipient=inspector).count() == 1
    message.refresh_from_db()
    assert message.attempts == 1
    # Nothing is left due: another relay run queues nothing.
    outbox_relay.delay()
    assert worker.returns_of(outbox_relay.name, count=2) == [1, 0]


def test_delivering_one_message_twice_creates_exactly_one_notification(worker):
    inspector = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR])
    message = _in_app_message(inspector)

    outbox_deliver.delay(str(message.pk))
    outbox_deliver.delay(str(message.pk))

    assert sorted(worker.returns_of(outbox_deliver.name, (str(message.pk),), count=2)) == [False, True]
    assert Notification.objects.filter(outbox_message=message).count() == 1
    assert Notification.objects.filter(recipient=inspector).count() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED
    assert message.attempts == 1


def _email_message(recipient) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        kind="case_assigned",
        recipient=recipient,
        payload={"params": {"case_number": "TEST-2026-00002", "case_id": str(uuid.uuid4())}, "link": "/cases/x/"},
    )


def _attempted(message: OutboxMessage, attempts: int = 1) -> Callable[[], bool]:
    return lambda: OutboxMessage.objects.filter(pk=message.pk, attempts__gte=attempts).exists()


# (b) nothing reads task results, so none is kept: a publish never waits on the result backend
def test_the_worker_keeps_no_task_results(worker):
    inspector = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR])
    message = _in_app_message(inspector)

    queued = outbox_deliver.delay(str(message.pk))

    assert worker.returns_of(outbox_deliver.name, (str(message.pk),)) == [True]
    with redis.Redis.from_url(settings.REDIS_URL) as client:
        assert client.exists(f"celery-task-meta-{queued.id}") == 0


# (a) an error raised at COMMIT of a delivery is recorded, in a new transaction
@pytest.mark.postgres
def test_a_delivery_refused_at_commit_in_the_worker_is_recorded(worker, notification_commit_fails):
    inspector = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR])
    message = _in_app_message(inspector)

    outbox_deliver.delay(str(message.pk))

    assert worker.returns_of(outbox_deliver.name, (str(message.pk),)) == [False]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        OutboxMessage.Status.PENDING,
        1,
        "IntegrityError at commit",
    )
    assert message.claimed_until is None
    assert not Notification.objects.filter(outbox_message=message).exists()


# (c) at least once: an e-mail sent again after its result was lost carries the same Message-ID
def test_an_email_the_worker_sends_again_after_losing_the_result_keeps_its_message_id(
    worker, smtp_server, monkeypatch, settings
):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "cms.police.example.kg"
    officer = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR], email="officer@police.example.kg")
    message = _email_message(officer)
    # the SMTP server accepts the mail, then the worker's final save fails once (as if it died before COMMIT)
    real_save = OutboxMessage.save
    failures: list[str] = []

    def save_failing_once(self, *args, **kwargs):
        if self.status == OutboxMessage.Status.DELIVERED and not failures:
            failures.append(str(self.pk))
            raise IntegrityError("refused (test)")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(OutboxMessage, "save", save_failing_once)

    outbox_deliver.delay(str(message.pk))
    assert worker.returns_of(outbox_deliver.name, (str(message.pk),)) == [False]
    assert len(smtp_server.messages()) == 1

    # the relay sends it again when it is due
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox_relay.delay()
    assert worker.returns_of(outbox_deliver.name, (str(message.pk),), count=2) == [False, True]

    first, second = smtp_server.messages()
    assert first["Message-ID"] == second["Message-ID"] == f"<{message.pk}@cms.police.example.kg>"
    assert first["To"] == "officer@police.example.kg"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.DELIVERED, 2)


# (d) a permanent SMTP rejection fails at once; a temporary one is retried later
@pytest.mark.parametrize(
    ("reply", "status", "recorded"),
    [
        ("550 5.1.1 No such mailbox", OutboxMessage.Status.FAILED, "SMTPRecipientsRefused 550"),
        ("451 4.3.0 Try again later", OutboxMessage.Status.PENDING, "SMTPRecipientsRefused 451"),
    ],
)
def test_the_worker_fails_a_permanently_rejected_email_at_once_and_retries_a_temporary_one(
    worker, smtp_server, reply, status, recorded
):
    smtp_server.rcpt_reply = reply
    officer = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR], email="nobody@police.example.kg")
    message = _email_message(officer)
    before = timezone.now()

    outbox_deliver.delay(str(message.pk))

    assert worker.returns_of(outbox_deliver.name, (str(message.pk),)) == [False]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (status, 1, recorded)
    if status == OutboxMessage.Status.PENDING:
        assert message.next_attempt_at > before
    assert smtp_server.messages() == []


# (d) one relay run sends everything that is due, not one batch per beat tick
def test_one_relay_run_in_the_worker_sends_everything_a_wiped_broker_lost(worker):
    inspector = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR])
    rows = [_in_app_message(inspector) for _ in range(210)]  # committed, their queued deliveries lost

    outbox_relay.delay()

    assert worker.returns_of(outbox_relay.name) == [210]
    worker.wait_until(
        lambda: not OutboxMessage.objects.exclude(status=OutboxMessage.Status.DELIVERED).exists(),
        what="all 210 rows to be delivered",
        timeout=120.0,
    )
    assert Notification.objects.filter(recipient=inspector).count() == len(rows)
