"""The outbox when the broker is down and when a worker starts: real processes against a Redis of the test's own.

The machine's Redis is shared and never stopped: these tests start a throw-away redis-server on a spare port (skipped
where redis-server is not installed), stop it or replace it with a socket that never answers, and run the web request
or a Celery worker in a fresh process whose settings point at it. PostgreSQL: that process works on the same test
database, so the tests are transactional.
"""

import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from accounts import tasks
from accounts.models import Notification, OutboxMessage
from accounts.roles import Role
from cases.models import Case
from tests.accounts.conftest import free_port, process_environment
from tests.accounts.open_case_probe import WATCHDOG_EXIT
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Hang guards, not speed measurements: a request whose deliveries could not be queued returns in well under a second.
WATCHDOG_SECONDS = 5.0
UNANSWERING_WATCHDOG_SECONDS = 30.0  # a broker that accepts connections and never answers: bounded by socket timeouts
PROCESS_SECONDS = 180.0  # a fresh Python process with Django on a busy machine, plus the watchdog
WORKER_SECONDS = 90.0  # a worker process starting and delivering three rows


@pytest.fixture
def officers():
    unit = UnitFactory(code="alamudun")
    officer = UserFactory(unit=unit, roles=[Role.INSPECTOR])
    colleague = UserFactory(unit=unit, roles=[Role.INSPECTOR], email="colleague@police.example.kg")
    return officer, colleague


def _open_case_in_another_process(redis_url: str, officer, colleague, *, watchdog: float) -> dict:
    completed = subprocess.run(  # noqa: S603 - this interpreter, a module of the test suite
        [sys.executable, "-m", "tests.accounts.open_case_probe", str(officer.pk), str(colleague.pk), str(watchdog)],
        cwd=settings.BASE_DIR,
        env=process_environment(redis_url),
        capture_output=True,
        text=True,
        timeout=PROCESS_SECONDS,
        check=False,
    )
    assert completed.returncode != WATCHDOG_EXIT, f"the request hung for {watchdog:.0f}s with the broker out of service"
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _assert_left_to_the_relay(colleague) -> None:
    """The case is saved, its notices wait in the outbox, and the relay sends them once a broker is there."""
    case = Case.objects.get()
    rows = OutboxMessage.objects.filter(recipient=colleague)
    assert sorted(rows.values_list("channel", "status", "attempts")) == [
        ("email", "pending", 0),
        ("in_app", "pending", 0),
    ]
    assert tasks.outbox_relay.apply().get() == 2  # Celery is eager in this process
    assert Notification.objects.get(recipient=colleague).params["case_number"] == case.number
    assert set(rows.values_list("status", flat=True)) == {OutboxMessage.Status.DELIVERED}


# ---------------------------------------------------------------------------
# (b) a broker outage never blocks the writing request
# ---------------------------------------------------------------------------
def test_opening_a_case_while_redis_is_stopped_returns_and_leaves_the_notices_to_the_relay(private_redis, officers):
    officer, colleague = officers
    private_redis.stop()

    response = _open_case_in_another_process(private_redis.url, officer, colleague, watchdog=WATCHDOG_SECONDS)

    assert response["status"] == 302
    _assert_left_to_the_relay(colleague)


@pytest.fixture
def unanswering_broker() -> Iterator[str]:
    """A TCP port that accepts connections (the kernel completes them) and never answers a byte."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen(64)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def test_opening_a_case_while_redis_does_not_answer_returns_and_leaves_the_notices_to_the_relay(
    unanswering_broker, officers
):
    officer, colleague = officers

    response = _open_case_in_another_process(
        unanswering_broker, officer, colleague, watchdog=UNANSWERING_WATCHDOG_SECONDS
    )

    assert response["status"] == 302
    _assert_left_to_the_relay(colleague)


# ---------------------------------------------------------------------------
# (d) a worker that starts sends what is due at once, without waiting for beat
# ---------------------------------------------------------------------------
def test_a_worker_that_starts_sends_what_became_due_while_no_worker_ran(private_redis, tmp_path: Path):
    inspector = UserFactory(unit=UnitFactory(), roles=[Role.INSPECTOR])
    rows = OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=OutboxMessage.Channel.IN_APP, kind="case_assigned", recipient=inspector, payload={})
        for _ in range(3)
    )  # committed, nothing queued, no beat running: only a relay at the worker's start can send them
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(  # noqa: S603 - this interpreter's celery, a fixed command line
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "trafficking_cms",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                f"--hostname=outbox-start-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=process_environment(private_redis.url),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + WORKER_SECONDS
        while OutboxMessage.objects.exclude(status=OutboxMessage.Status.DELIVERED).exists():
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not deliver the due rows; its log:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    finally:
        worker.terminate()  # a warm shutdown: the worker finishes its task and leaves
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=30)

    assert Notification.objects.filter(recipient=inspector).count() == len(rows)
