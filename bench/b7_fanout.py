"""B7 notification fan-out: one transaction tells 200 people something (`outbox_notify_users`: an in-app notice and an
e-mail each); after its COMMIT the on-commit hook queues the deliveries to Redis and a REAL Celery worker (a subprocess,
prefork pool) delivers them: in-app rows into the database, e-mails over SMTP to a local aiosmtpd server in this
process, which counts what arrives on the wire. Targets: ≤ 2 s from the commit to the last delivery; 0 recipients lost.
The ratio of wire duplicates (e-mails received more than once, by Message-ID, / 200) is reported (delivery of e-mail is
at least once; in-app notices are unique per outbox row in the database).
"""

import collections
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench.core import Context, Result

RECIPIENTS = 200
TIMEOUT = 60.0
BASE_DIR = Path(__file__).resolve().parent.parent
WORKER_CONCURRENCY = 2  # the CI machine's cores


class Receiver:
    """An SMTP server that notes when each Message-ID arrived (all arrivals, duplicates included)."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = collections.defaultdict(list)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes

        message_id = message_from_bytes(envelope.content).get("Message-ID", "").strip("<>")
        with self.lock:
            self.arrivals[message_id].append(time.time())
        return "250 OK"

    def snapshot(self) -> dict[str, list[float]]:
        with self.lock:
            return {key: list(value) for key, value in self.arrivals.items()}


WORKER_CODE = """
import sys
from trafficking_cms.celery import app
app.conf.task_default_queue = sys.argv[1]
app.worker_main(["worker", "-Q", sys.argv[1], "-P", "prefork", "-c", sys.argv[2], "-l", "INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "bench-" + sys.argv[1] + "@%h"])
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _worker_log():
    """Where the worker's log goes: B7_WORKER_LOG names a file (to read its task timings), else nowhere."""
    path = os.environ.get("B7_WORKER_LOG")
    return Path(path).open("w") if path else subprocess.DEVNULL


def _start_worker(queue: str, smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "trafficking_cms.settings"),
    }
    return subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
        [sys.executable, "-c", WORKER_CODE, queue, str(WORKER_CONCURRENCY)],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=_worker_log(),
    )


def _stop_worker(process: subprocess.Popen) -> None:
    process.terminate()  # warm shutdown: the worker finishes what it holds and exits
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _fan_out(recipients, label: str) -> tuple[float, float]:
    """Tell every recipient in one transaction; return the time of the COMMIT (the first on-commit hook) and the time
    the on-commit hooks had queued every delivery."""
    from django.db import transaction

    from accounts.services import outbox_notify_users

    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.time()))  # registered first: runs first after COMMIT
        outbox_notify_users(recipients=recipients, kind="case_assigned", params={"case_number": label})
    return committed[0], time.time()


def _wait(receiver: Receiver, recipients, outbox_ids: set, *, since: float) -> tuple[float, int, int, int]:
    """Poll until every recipient has its notice and its e-mail (or TIMEOUT); return (last delivery time, lost
    recipients, e-mails received twice or more, e-mails received in all)."""
    from accounts.models import Notification, OutboxMessage

    email_ids = {
        str(pk)
        for pk in OutboxMessage.objects.filter(pk__in=outbox_ids, channel=OutboxMessage.Channel.EMAIL).values_list(
            "pk", flat=True
        )
    }
    recipient_ids = {user.pk for user in recipients}
    in_app_seen_at = None
    deadline = since + TIMEOUT
    while True:
        arrived = receiver.snapshot()
        mails = {key: times for key, times in arrived.items() if key.split("@")[0] in email_ids}
        notified = Notification.objects.filter(outbox_message_id__in=outbox_ids).count()
        if notified >= len(recipient_ids) and in_app_seen_at is None:
            in_app_seen_at = time.time()
        if (in_app_seen_at is not None and len(mails) >= len(email_ids)) or time.time() > deadline:
            break
        time.sleep(0.005)
    notified_users = set(
        Notification.objects.filter(outbox_message_id__in=outbox_ids).values_list("recipient_id", flat=True)
    )
    mailed_users = set(
        OutboxMessage.objects.filter(pk__in=[key.split("@")[0] for key in mails]).values_list("recipient_id", flat=True)
    )
    lost = len(recipient_ids - (notified_users & mailed_users))
    last_mail = max((times[0] for times in mails.values()), default=time.time())
    last = max(last_mail, in_app_seen_at or time.time())
    duplicates = sum(1 for times in mails.values() if len(times) > 1)
    return last, lost, duplicates, sum(len(times) for times in mails.values())


def _recipients(count: int, tag: str):
    from accounts.roles import Role
    from tests.factories import UnitFactory, UserFactory

    unit = UnitFactory(kind="district", code=f"bench-{tag}", name=f"B7 {tag}")
    return [
        UserFactory(
            unit=unit,
            username=f"b7-{tag}-{n}",
            last_name=f"B7-{n}",
            email=f"b7-{tag}-{n}@bench.invalid",
            roles=[Role.INSPECTOR],
        )
        for n in range(count)
    ]


def run(ctx: Context) -> list[Result]:
    import logging

    from aiosmtpd.controller import Controller

    from accounts.models import OutboxMessage
    from trafficking_cms.celery import app

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    tag = uuid.uuid4().hex[:10]
    queue = f"bench-b7-{tag}"
    receiver = Receiver()
    smtp_port = _free_port()
    controller = Controller(receiver, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    saved = {name: app.conf[name] for name in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue  # our .delay() calls go to the worker's own queue
    worker = _start_worker(queue, smtp_port)
    try:
        recipients = _recipients(RECIPIENTS, tag)
        # Warm-up: the worker is ready and its processes have their connections when two people got their notices.
        warm = _recipients(2, tag + "w")
        before = set(OutboxMessage.objects.values_list("pk", flat=True))
        since, _ = _fan_out(warm, "B7-warm")
        warm_ids = set(OutboxMessage.objects.exclude(pk__in=before).values_list("pk", flat=True))
        _, warm_lost, _, _ = _wait(receiver, warm, warm_ids, since=since)
        if warm_lost:
            raise RuntimeError(f"the worker did not deliver the warm-up: {worker.poll()=}")

        before = set(OutboxMessage.objects.values_list("pk", flat=True))
        committed, queued = _fan_out(recipients, "B7")
        outbox_ids = set(OutboxMessage.objects.exclude(pk__in=before).values_list("pk", flat=True))
        last, lost, duplicates, received = _wait(receiver, recipients, outbox_ids, since=committed)
    finally:
        _stop_worker(worker)
        controller.stop()
        for name, value in saved.items():
            app.conf[name] = value
    seconds = last - committed
    detail = (
        f"{RECIPIENTS} recipients × (in-app + e-mail) = {len(outbox_ids)} outbox rows, prefork worker "
        f"c={WORKER_CONCURRENCY}; the commit's hooks queued them in {queued - committed:.2f} s; "
        f"e-mails received {received}"
    )
    return [
        Result("B7a", "fanout_seconds", seconds, "<=", 2, detail),
        Result(
            "B7b",
            "fanout_lost",
            lost,
            "<=",
            0,
            f"recipients without their notice or e-mail after {TIMEOUT:.0f} s; wire duplicates "
            f"{duplicates / RECIPIENTS:.3g} ({duplicates} e-mails seen more than once by the receiver / {RECIPIENTS})",
        ),
    ]


if __name__ == "__main__":
    from bench._standalone import main

    main(run)
