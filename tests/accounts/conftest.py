"""Real services the outbox tests deliver through: an SMTP server (aiosmtpd), a private Redis, a failing COMMIT."""

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

REDIS_SERVER = shutil.which("redis-server")


def process_environment(redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a process (web request, worker, relay) that uses this test's database and the given broker."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database_url = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "trafficking_cms.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
        # as in this process (tests/conftest.py): two-factor sign-in is off unless a test is about it; the processes
        # read it from the environment, and a request of a session without the code would be sent to the code step
        "OTP_REQUIRED": "0",
        **extra,
    }


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------------------
# SMTP
# ---------------------------------------------------------------------------
@dataclass
class SmtpServer:
    """A real SMTP server on the loopback: accepts mail, or answers RCPT TO with `rcpt_reply` (e.g. "550 …")."""

    port: int
    rcpt_reply: str | None = None
    received: list[Message] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd calls these by name
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls these by name
        with self._lock:
            self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def messages(self) -> list[Message]:
        with self._lock:
            return list(self.received)


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """Start an SMTP server and point Django's SMTP e-mail backend at it (for this thread and a worker thread)."""
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield server
    finally:
        controller.stop()


# ---------------------------------------------------------------------------
# A Redis of our own (the machine's Redis is shared and is never stopped)
# ---------------------------------------------------------------------------
@dataclass
class PrivateRedis:
    """A redis-server of the test's own on a fixed port: it can be stopped and started again on the same port."""

    port: int
    data_dir: str | None = None  # set: an append-only file there keeps the data across a restart, as in docker-compose
    process: subprocess.Popen | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def start(self, *, timeout: float = 20.0) -> None:
        """Start the server (empty, unless it has a data_dir) and wait until it answers PING."""
        assert self.process is None or self.process.poll() is not None, "already running"
        persistence = ["--appendonly", "no"]
        if self.data_dir:
            persistence = ["--dir", self.data_dir, "--appendonly", "yes", "--appendfsync", "always"]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *persistence],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop this server (only the one this fixture started, by its process)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def outage(self, seconds: float, *, during=None) -> None:
        """Stop the server, keep it down for `seconds` (calling `during()` every 0.2 s), start it on the same port.

        Without a data_dir what Redis held is gone, as after a crash of a server without persistence; with one, the
        server reloads its append-only file (docker-compose runs Redis with --appendonly yes).
        """
        self.stop()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if during is not None:
                during()
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        self.start()


def _private_redis(data_dir: str | None) -> Iterator[PrivateRedis]:
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server on the PATH (Debian's redis-server package; CI has it)")
    redis = PrivateRedis(port=free_port(), data_dir=data_dir)
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    """A throw-away redis-server on a spare port, without persistence; skipped where redis-server is not installed."""
    yield from _private_redis(None)


@pytest.fixture
def persistent_private_redis(tmp_path) -> Iterator[PrivateRedis]:
    """The same with an append-only file, as docker-compose runs Redis: a restart keeps the queued tasks."""
    data_dir = tmp_path / "redis"
    data_dir.mkdir()
    yield from _private_redis(str(data_dir))


# ---------------------------------------------------------------------------
# A COMMIT that fails (PostgreSQL): a deferred constraint trigger on new in-app notifications
# ---------------------------------------------------------------------------
@pytest.fixture
def notification_commit_fails():
    """Make every COMMIT that inserted an in-app notification fail, as a deferred constraint would."""
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_notification() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'refused at commit (test)' USING ERRCODE = 'integrity_constraint_violation';
            END $$;
            CREATE CONSTRAINT TRIGGER test_refuse_notification_at_commit
                AFTER INSERT ON accounts_notification DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION test_refuse_notification();
            """
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER IF EXISTS test_refuse_notification_at_commit ON accounts_notification;"
                "DROP FUNCTION IF EXISTS test_refuse_notification();"
            )
