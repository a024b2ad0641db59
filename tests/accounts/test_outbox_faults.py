"""Fault tests of the outbox on the real broker: a worker killed mid-run, and Redis stopped for 20 s mid-run.

A real `celery -A trafficking_cms worker` (prefork, 2 processes, as in production) runs in its own process group against
a redis-server of the test's own, beside a relay loop that queues an outbox relay run every RELAY_INTERVAL seconds (beat
does it every 30 s). The worker environment sets OUTBOX_CLAIM_SECONDS low, so a row whose delivery died is claimable
again after a few seconds and the relay re-sends it. Each test prints its figures (and the summary at the end of the
run lists them): deliveries, lost, arrivals, duplicates, attempts, elapsed.

The channel under test is the webhook channel: signed POSTs to a local receiver in this process, which the test
verifies with the `standardwebhooks` package. `make_deliveries` writes the rows without queueing anything (the harness
publishes their deliveries to the test's broker, as the on-commit hook of a change does) and `arrivals` counts the
requests per delivery by `webhook-id`. Delivery is at least once: a worker killed after the receiver answered and
before the attempt was committed sends that delivery again, with the same `webhook-id`, so a receiver de-duplicates.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.models import Organisation, OutboxMessage
from referrals.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from referrals.webhooks import webhook_endpoint_create
from tests.accounts.conftest import PrivateRedis, process_environment
from tests.referrals.webhook_receiver import Answer, Receiver

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DELIVERIES = 200
CLAIM_SECONDS = 5  # the worker's OUTBOX_CLAIM_SECONDS: a delivery that died is re-sent by the relay after this
RELAY_INTERVAL = 2.0  # seconds between relay runs (beat: 30)
OUTAGE_SECONDS = 20.0
START_SECONDS = 60.0  # a worker process starting on a busy machine
SETTLE_SECONDS = 60.0  # after the fault: every delivery done
DELIVER_TASK = "accounts.tasks.outbox_deliver"


# ---------------------------------------------------------------------------
# The channel under test: webhooks to a local receiver that verifies each request with `standardwebhooks`
# ---------------------------------------------------------------------------
RECEIVER_DELAY = 0.01  # seconds the receiver takes per request, so that deliveries are in flight when the fault hits


@dataclass
class Wire:
    """What reached the receiver: the `webhook-id` of each request, and the requests whose signature failed."""

    receiver: Receiver
    secret: str
    delivery_of: dict[str, str] = field(default_factory=dict)  # webhook-id -> outbox id

    def ids_on_the_wire(self) -> list[str]:
        verifier = Webhook(self.secret)
        ids = []
        for request in self.receiver.snapshot():
            verifier.verify(request.body, request.headers)  # raises on a bad or missing signature
            ids.append(request.headers["webhook-id"])
        return ids


def make_deliveries(count: int, wire: Wire) -> list[str]:
    """Commit `count` webhook deliveries to the receiver's endpoint, queue nothing, and return their outbox ids."""
    organisation = Organisation.objects.create(name="Fault-test NGO", code="fault-ngo", kind=Organisation.Kind.NGO)
    endpoint, wire.secret = webhook_endpoint_create(
        organisation=organisation, url=wire.receiver.url(), event_types=[WebhookEvent.REFERRAL_UPDATED]
    )
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=OutboxMessage.Channel.WEBHOOK,
            kind=WebhookEvent.TEST,
            payload={"type": WebhookEvent.TEST, "timestamp": now.isoformat(), "data": {"n": n}},
        )
        for n in range(count)
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(outbox_message=message, endpoint=endpoint, event_type=WebhookEvent.TEST) for message in messages
    )
    wire.delivery_of = {delivery.webhook_id: str(delivery.outbox_message_id) for delivery in deliveries}
    return [str(message.pk) for message in messages]


def arrivals(ids: list[str], wire: Wire) -> Counter:
    """How many requests of each delivery reached the receiver, by outbox id (each one signed and verified)."""
    on_the_wire = wire.ids_on_the_wire()
    strangers = [webhook_id for webhook_id in on_the_wire if webhook_id not in wire.delivery_of]
    assert strangers == [], "a request whose webhook-id is no delivery of this run"
    return Counter(wire.delivery_of[webhook_id] for webhook_id in on_the_wire)


def successes_logged(ids: list[str]) -> Counter:
    """The successful attempts in the delivery log, by outbox id."""
    rows = WebhookAttempt.objects.filter(delivery__outbox_message_id__in=ids, succeeded=True)
    return Counter(str(pk) for pk in rows.values_list("delivery__outbox_message_id", flat=True))


@pytest.fixture
def wire(settings) -> Iterator[Wire]:
    settings.WEBHOOK_REQUIRE_HTTPS, settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False, True  # the worker: TESTING=1
    with Receiver() as receiver:
        receiver.default = Answer(status=204, delay=RECEIVER_DELAY)
        yield Wire(receiver=receiver, secret="")


# ---------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------
@dataclass
class Process:
    """A child process in a process group of its own (a worker and its pool processes die together)."""

    argv: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen | None = None
    pids: list[int] = field(default_factory=list)

    def start(self) -> None:
        with self.log.open("a") as output:
            self.popen = subprocess.Popen(  # noqa: S603 - this interpreter, a fixed command line
                self.argv,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pids.append(self.popen.pid)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill_group(self) -> None:
        """SIGKILL the process and every process of its group (the worker's pool), and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM to the group); SIGKILL whatever is left after 30 s."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=30)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                self.kill_group()
        with contextlib.suppress(ProcessLookupError):  # pool processes that outlived their parent
            os.killpg(self.popen.pid, signal.SIGKILL)

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@dataclass
class FaultRig:
    """A private Redis, a worker and a relay loop; publishes deliveries and waits for them."""

    redis: PrivateRedis
    worker: Process
    relay: Process

    def wait_until_ready(self) -> None:
        """Wait for the worker's "ready" line (once per start of the worker)."""
        deadline = time.monotonic() + START_SECONDS
        while self.worker.log.read_text(errors="replace").count(" ready.") < len(self.worker.pids):
            if not self.worker.alive() or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start; its log:\n{self.worker.tail()}")
            time.sleep(0.1)

    def publish(self, ids: list[str]) -> None:
        """Queue one delivery task per row on the test's broker, as the on-commit hook of a change does."""
        from kombu import Connection

        from trafficking_cms.celery import app

        with Connection(self.redis.url) as connection, connection.Producer() as producer:
            for message_id in ids:
                app.send_task(DELIVER_TASK, args=(message_id,), producer=producer)

    def run_until_a_fifth_is_delivered(self, ids: list[str]) -> float:
        """Start the worker and the relay loop, publish the deliveries; once a fifth arrived, return the start time."""
        self.worker.start()
        self.wait_until_ready()
        self.relay.start()
        started = time.monotonic()
        self.publish(ids)
        self.wait_until(lambda: _delivered(ids) >= len(ids) // 5, timeout=SETTLE_SECONDS, what="a fifth delivered")
        return started

    def wait_until(self, predicate: Callable[[], bool], *, timeout: float, what: str, during=None) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if during is not None:
                during()
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}; worker log:\n{self.worker.tail()}")
            time.sleep(0.05)


@pytest.fixture
def rig_for(tmp_path) -> Iterator[Callable[[PrivateRedis], FaultRig]]:
    """Build the rig on a given private Redis; stop its processes afterwards (before the database is flushed)."""
    rigs: list[FaultRig] = []

    def build(redis: PrivateRedis) -> FaultRig:
        env = process_environment(redis.url, OUTBOX_CLAIM_SECONDS=str(CLAIM_SECONDS))
        worker = Process(
            argv=[
                sys.executable,
                "-m",
                "celery",
                "-A",
                "trafficking_cms",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                f"--hostname=faults-{uuid.uuid4().hex[:8]}@%h",
            ],
            env=env,
            log=tmp_path / "worker.log",
        )
        relay = Process(
            argv=[sys.executable, "-m", "tests.accounts.relay_loop", str(RELAY_INTERVAL)],
            env=env,
            log=tmp_path / "relay.log",
        )
        rig = FaultRig(redis=redis, worker=worker, relay=relay)
        rigs.append(rig)
        return rig

    yield build
    for rig in rigs:
        rig.relay.stop()
        rig.worker.stop()


def _delivered(ids: list[str]) -> int:
    return OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.DELIVERED).count()


def _figures(name: str, ids: list[str], wire: Wire, started: float, **extra) -> dict:
    """What happened to the deliveries; printed, and kept for the summary at the end of the run."""
    arrived = arrivals(ids, wire)
    rows = OutboxMessage.objects.filter(pk__in=ids)
    figures = {
        "deliveries": len(ids),
        "delivered": rows.filter(status=OutboxMessage.Status.DELIVERED).count(),
        "lost": sum(1 for pk in ids if not arrived[pk]),
        "on_the_wire": sum(arrived.values()),
        "duplicates": sum(n - 1 for n in arrived.values() if n > 1),
        "successes_logged": sum(successes_logged(ids).values()),
        "attempts": rows.aggregate(total=Sum("attempts"))["total"] or 0,
        "failed": rows.filter(status=OutboxMessage.Status.FAILED).count(),
        "elapsed_s": round(time.monotonic() - started, 1),
        **extra,
    }
    print(f"\n{name}: " + " ".join(f"{key}={value}" for key, value in figures.items()))
    return figures


# ---------------------------------------------------------------------------
# a) the worker is killed (SIGKILL, the whole process group) mid-run and started again
# ---------------------------------------------------------------------------
def _assert_the_log_agrees(ids: list[str], wire: Wire, figures: dict) -> None:
    """Every delivery arrived, signed (a duplicate only repeats a `webhook-id`); the log has one success each."""
    assert figures["lost"] == 0
    assert figures["delivered"] == DELIVERIES and figures["failed"] == 0
    assert set(arrivals(ids, wire)) == set(ids)
    assert successes_logged(ids) == Counter(dict.fromkeys(ids, 1))
    assert figures["on_the_wire"] == DELIVERIES + figures["duplicates"]


def test_webhooks_of_a_worker_killed_mid_run_all_arrive_after_it_restarts(
    private_redis, rig_for, wire, record_property
):
    rig = rig_for(private_redis)
    ids = make_deliveries(DELIVERIES, wire)
    started = rig.run_until_a_fifth_is_delivered(ids)

    rig.worker.kill_group()
    delivered_at_kill = _delivered(ids)
    assert delivered_at_kill < DELIVERIES, "the kill came after the run: nothing was in flight"
    time.sleep(1)
    rig.worker.start()  # a new worker: its start queues a relay run too
    rig.wait_until_ready()
    rig.wait_until(lambda: _delivered(ids) == DELIVERIES, timeout=SETTLE_SECONDS, what="every delivery")

    figures = _figures("webhooks, worker SIGKILL mid-run", ids, wire, started, delivered_at_kill=delivered_at_kill)
    record_property("fault_figures", figures)
    _assert_the_log_agrees(ids, wire, figures)
    assert rig.worker.alive()


# ---------------------------------------------------------------------------
# b) Redis stops for 20 s mid-run and starts again on the same port: the same worker process reconnects
# ---------------------------------------------------------------------------
def test_webhooks_survive_a_20_second_redis_outage_and_the_same_worker_reconnects(
    persistent_private_redis, rig_for, wire, record_property
):
    rig = rig_for(persistent_private_redis)
    ids = make_deliveries(DELIVERIES, wire)
    started = rig.run_until_a_fifth_is_delivered(ids)
    worker_pid = rig.worker.pid

    delivered_at_outage = _delivered(ids)
    assert delivered_at_outage < DELIVERIES, "the outage came after the run: nothing was in flight"

    def worker_still_runs() -> None:
        if not rig.worker.alive():
            pytest.fail(f"the worker exited during the Redis outage; its log:\n{rig.worker.tail()}")

    persistent_private_redis.outage(OUTAGE_SECONDS, during=worker_still_runs)
    rig.wait_until(
        lambda: _delivered(ids) == DELIVERIES, timeout=SETTLE_SECONDS, what="every delivery", during=worker_still_runs
    )

    figures = _figures(
        "webhooks, Redis stopped 20 s mid-run",
        ids,
        wire,
        started,
        delivered_at_outage=delivered_at_outage,
        redis_starts=persistent_private_redis.starts,
    )
    record_property("fault_figures", figures)
    assert rig.worker.alive() and rig.worker.pid == worker_pid and rig.worker.pids == [worker_pid]
    log = rig.worker.log.read_text(errors="replace")
    assert "Connection to broker lost" in log  # the worker did see the outage …
    assert "Connected to " in log.rsplit("Connection to broker lost", 1)[1]  # … and reconnected by itself
    _assert_the_log_agrees(ids, wire, figures)
