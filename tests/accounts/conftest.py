"""Real services the outbox tests deliver through: an SMTP server (aiosmtpd), a private Redis, a failing COMMIT."""

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

REDIS_SERVER = shutil.which("redis-server")


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
    process: subprocess.Popen
    port: int

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

    def stop(self) -> None:
        """Stop this server (only the one this fixture started, by its process)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    """A throw-away redis-server on a spare port; skipped where redis-server is not installed."""
    if REDIS_SERVER is None:
        pytest.skip("needs redis-server on the PATH (Debian's redis-server package; CI has it)")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    redis = PrivateRedis(process=process, port=port)
    try:
        deadline = time.monotonic() + 20
        while not redis.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server on port {port} did not start")
            time.sleep(0.05)
        yield redis
    finally:
        redis.stop()


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
