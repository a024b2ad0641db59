"""The transactional outbox: rows written with the change, delivered once after commit, retried on failure."""

from datetime import timedelta
from smtplib import (
    SMTPAuthenticationError,
    SMTPDataError,
    SMTPException,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPSenderRefused,
    SMTPServerDisconnected,
)

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import IntegrityError
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts import services, tasks
from accounts.models import Notification, OutboxMessage
from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARAMS = {"case_number": "ALAMUDUN-2026-00007", "case_id": "7c5b0a3e-0000-4000-8000-000000000007"}


@pytest.fixture
def officer(district):
    return UserFactory(unit=district, roles=[Role.INSPECTOR], email="officer@police.example.kg")


@pytest.fixture
def officer_without_email(district):
    return UserFactory(unit=district, roles=[Role.INSPECTOR], email="")


def _notify(recipient) -> list[OutboxMessage]:
    return services.outbox_notify_user(recipient=recipient, kind="case_assigned", params=PARAMS, link="/cases/x/")


def test_a_user_with_an_email_gets_an_in_app_row_and_an_email_row(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        messages = _notify(officer)
    rows = OutboxMessage.objects.filter(recipient=officer)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert {m.pk for m in messages} == set(rows.values_list("pk", flat=True))
    assert all(row.status == OutboxMessage.Status.PENDING for row in rows)
    # the payload carries ids and numbers only, never a text with personal data
    assert all(row.payload == {"params": PARAMS, "link": "/cases/x/"} for row in rows)


def test_a_user_without_an_email_gets_only_the_in_app_row(officer_without_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _notify(officer_without_email)
    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == ["in_app"]


def test_nothing_is_delivered_before_the_transaction_commits(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(officer)
    assert callbacks  # the deliveries are queued by on-commit hooks
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_after_commit_the_notification_and_the_email_are_delivered(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(officer)

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.params) == (officer, "case_assigned", PARAMS)
    assert notification.link == "/cases/x/"
    assert notification.outbox_message.channel == OutboxMessage.Channel.IN_APP
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer@police.example.kg"]
    assert "ALAMUDUN-2026-00007" in mail.outbox[0].subject
    for row in OutboxMessage.objects.all():
        assert (row.status, row.attempts) == (OutboxMessage.Status.DELIVERED, 1)
        assert row.delivered_at is not None


def test_a_row_is_delivered_only_once_even_when_queued_twice(officer_without_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        (message,) = _notify(officer_without_email)
    assert services.outbox_deliver_message(message_id=str(message.pk)) is True
    assert services.outbox_deliver_message(message_id=str(message.pk)) is False
    assert Notification.objects.count() == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_failed_email_is_retried_later_with_the_time_kept_in_the_database(
    officer, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=False):
        messages = _notify(officer)
    email = next(m for m in messages if m.channel == OutboxMessage.Channel.EMAIL)
    before = timezone.now()

    assert services.outbox_deliver_message(message_id=str(email.pk)) is False

    email.refresh_from_db()
    assert email.status == OutboxMessage.Status.PENDING
    assert email.attempts == 1
    assert email.last_error == "SMTPException"
    assert email.next_attempt_at > before
    assert email.claimed_until is None


def test_a_delivery_that_keeps_failing_is_given_up(officer, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=False):
        messages = _notify(officer)
    email = next(m for m in messages if m.channel == OutboxMessage.Channel.EMAIL)
    OutboxMessage.objects.filter(pk=email.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS - 1)

    services.outbox_deliver_message(message_id=str(email.pk))

    email.refresh_from_db()
    assert email.status == OutboxMessage.Status.FAILED
    assert services.outbox_deliver_message(message_id=str(email.pk)) is False


def test_claiming_due_rows_hands_each_row_to_one_relay_only(officer_without_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        (due,) = _notify(officer_without_email)
        (later,) = _notify(officer_without_email)
        (delivered,) = _notify(officer_without_email)
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    OutboxMessage.objects.filter(pk=delivered.pk).update(status=OutboxMessage.Status.DELIVERED)

    assert services.outbox_claim_due() == [str(due.pk)]
    assert services.outbox_claim_due() == []


def test_a_claim_that_expired_can_be_taken_again(officer_without_email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        (message,) = _notify(officer_without_email)
    assert services.outbox_claim_due() == [str(message.pk)]
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert services.outbox_claim_due() == [str(message.pk)]


def test_the_relay_task_delivers_what_was_left_behind(officer, django_capture_on_commit_callbacks):
    # given rows whose queueing after commit was lost
    with django_capture_on_commit_callbacks(execute=False):
        _notify(officer)

    # when beat runs the relay (Celery is eager in tests)
    assert tasks.outbox_relay.delay().get() == 2

    # then both are delivered, and a second run finds nothing to do
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert len(mail.outbox) == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.DELIVERED}
    assert tasks.outbox_relay.delay().get() == 0


def test_marking_a_notification_read_keeps_the_first_reading_time(officer):
    notification = Notification.objects.create(recipient=officer, kind="case_assigned", params=PARAMS)
    services.notification_mark_read(notification=notification)
    first = Notification.objects.get(pk=notification.pk).read_at
    assert first is not None
    services.notification_mark_read(notification=Notification.objects.get(pk=notification.pk))
    assert Notification.objects.get(pk=notification.pk).read_at == first


# ---------------------------------------------------------------------------
# A failure after the delivery (the final save, the COMMIT) is recorded in a new transaction
# ---------------------------------------------------------------------------
def _fail_when_marked_delivered(monkeypatch, *, times: int = 1_000) -> list[str]:
    """Make saving a row as delivered raise IntegrityError `times` times; return the ids it failed for."""
    real_save = OutboxMessage.save
    failed: list[str] = []

    def save(self, *args, **kwargs):
        if self.status == OutboxMessage.Status.DELIVERED and len(failed) < times:
            failed.append(str(self.pk))
            raise IntegrityError("refused (test)")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(OutboxMessage, "save", save)
    return failed


def test_a_failure_while_saving_the_result_is_recorded_in_a_new_transaction(
    officer_without_email, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        (message,) = _notify(officer_without_email)
    _fail_when_marked_delivered(monkeypatch)
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() + timedelta(minutes=2))
    before = timezone.now()

    assert services.outbox_deliver_message(message_id=str(message.pk)) is False

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert message.last_error == "IntegrityError while saving the result"
    assert message.claimed_until is None  # free for the relay at the next attempt time
    assert message.next_attempt_at > before
    assert not Notification.objects.exists()  # the delivery's transaction rolled back


def test_a_result_that_never_saves_ends_failed_after_the_configured_attempts(
    officer_without_email, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=False):
        (message,) = _notify(officer_without_email)
    _fail_when_marked_delivered(monkeypatch)

    for _ in range(3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert services.outbox_deliver_message(message_id=str(message.pk)) is False

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 3)
    assert services.outbox_deliver_message(message_id=str(message.pk)) is False


def test_the_attempts_limit_comes_from_the_setting(officer, monkeypatch, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    monkeypatch.setattr(EmailMessage, "send", _raise(SMTPServerDisconnected("gone")))
    with django_capture_on_commit_callbacks(execute=False):
        email = _email_row(_notify(officer))

    services.outbox_deliver_message(message_id=str(email.pk))
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxMessage.Status.PENDING, 1)
    services.outbox_deliver_message(message_id=str(email.pk))
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxMessage.Status.FAILED, 2)


def test_a_row_claimed_again_and_again_without_any_recorded_attempt_ends_failed(
    officer_without_email, settings, django_capture_on_commit_callbacks
):
    # given a row whose every delivery dies before it can record anything (a worker killed, a poisoned task)
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=False):
        (message,) = _notify(officer_without_email)

    for _ in range(3):
        assert services.outbox_claim_due() == [str(message.pk)]
        OutboxMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))

    # then the next relay gives it up instead of claiming it for ever
    assert services.outbox_claim_due() == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 0)
    assert message.last_error == "claimed 3 times without a recorded attempt"
    assert message.claimed_until is None


def test_a_recorded_attempt_starts_the_claims_count_again(
    officer, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    monkeypatch.setattr(EmailMessage, "send", _raise(SMTPServerDisconnected("gone")))
    with django_capture_on_commit_callbacks(execute=False):
        email = _email_row(_notify(officer))
    OutboxMessage.objects.exclude(pk=email.pk).delete()

    for _ in range(2):
        assert services.outbox_claim_due() == [str(email.pk)]
        OutboxMessage.objects.filter(pk=email.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    services.outbox_deliver_message(message_id=str(email.pk))  # a failed attempt, recorded
    OutboxMessage.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())

    assert services.outbox_claim_due() == [str(email.pk)]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claims_since_attempt) == (OutboxMessage.Status.PENDING, 1, 1)


# ---------------------------------------------------------------------------
# E-mail: a stable Message-ID (delivery is at least once), permanent rejections fail at once
# ---------------------------------------------------------------------------
def _raise(exc: Exception):
    def fail(*args, **kwargs):
        raise exc

    return fail


def _email_row(messages: list[OutboxMessage]) -> OutboxMessage:
    return next(m for m in messages if m.channel == OutboxMessage.Channel.EMAIL)


def test_every_email_carries_a_message_id_made_from_its_outbox_id(
    officer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "cms.police.example.kg"
    with django_capture_on_commit_callbacks(execute=True):
        email = _email_row(_notify(officer))

    (sent,) = mail.outbox
    assert sent.message()["Message-ID"] == f"<{email.pk}@cms.police.example.kg>"


def test_an_email_sent_again_after_its_result_was_lost_keeps_its_message_id(
    officer, monkeypatch, django_capture_on_commit_callbacks
):
    # given an e-mail the server accepted, whose delivery then failed to save (as if the worker died before COMMIT)
    with django_capture_on_commit_callbacks(execute=False):
        email = _email_row(_notify(officer))
    _fail_when_marked_delivered(monkeypatch, times=1)
    assert services.outbox_deliver_message(message_id=str(email.pk)) is False

    # when it is retried
    OutboxMessage.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert services.outbox_deliver_message(message_id=str(email.pk)) is True

    # then the recipient got it twice, with one Message-ID a mail client or server de-duplicates on
    first, second = (sent.message()["Message-ID"] for sent in mail.outbox)
    assert first == second == f"<{email.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


@pytest.mark.parametrize(
    ("error", "recorded"),
    [
        (
            SMTPRecipientsRefused({"officer@police.example.kg": (550, b"5.1.1 no such mailbox")}),
            "SMTPRecipientsRefused 550",
        ),
        (SMTPDataError(554, b"5.6.0 message refused"), "SMTPDataError 554"),
        (SMTPResponseException(553, b"5.1.3 bad address syntax"), "SMTPResponseException 553"),
    ],
)
def test_a_permanent_smtp_rejection_fails_at_once(
    officer, monkeypatch, error, recorded, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(EmailMessage, "send", _raise(error))
    with django_capture_on_commit_callbacks(execute=False):
        email = _email_row(_notify(officer))

    assert services.outbox_deliver_message(message_id=str(email.pk)) is False

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxMessage.Status.FAILED, 1, recorded)
    assert "officer@" not in email.last_error  # no address in the recorded error


@pytest.mark.parametrize(
    ("error", "recorded"),
    [
        (SMTPRecipientsRefused({"officer@police.example.kg": (451, b"4.3.0 try later")}), "SMTPRecipientsRefused 451"),
        (SMTPResponseException(421, b"4.7.0 too busy"), "SMTPResponseException 421"),
        (SMTPServerDisconnected("Connection unexpectedly closed"), "SMTPServerDisconnected"),
        (ConnectionRefusedError(111, "Connection refused"), "ConnectionRefusedError"),
        (TimeoutError("timed out"), "TimeoutError"),
        # our own server's configuration (password, sender address): every e-mail would fail, so retry, never drop
        (SMTPAuthenticationError(535, b"5.7.8 bad credentials"), "SMTPAuthenticationError 535"),
        (SMTPSenderRefused(550, b"5.7.1 sender not allowed", "cms@localhost"), "SMTPSenderRefused 550"),
    ],
)
def test_a_temporary_smtp_failure_is_retried_with_the_back_off(
    officer, monkeypatch, error, recorded, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(EmailMessage, "send", _raise(error))
    with django_capture_on_commit_callbacks(execute=False):
        email = _email_row(_notify(officer))
    before = timezone.now()

    assert services.outbox_deliver_message(message_id=str(email.pk)) is False

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboxMessage.Status.PENDING, 1, recorded)
    assert email.next_attempt_at > before


# ---------------------------------------------------------------------------
# The relay: batch after batch until nothing is due, bounded per run
# ---------------------------------------------------------------------------
def _pending_in_app_rows(recipient, count: int) -> list[OutboxMessage]:
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(channel=OutboxMessage.Channel.IN_APP, kind="case_assigned", recipient=recipient, payload={})
        for _ in range(count)
    )


def test_one_relay_run_sends_everything_that_is_due(officer_without_email, settings):
    # given 210 rows whose queued deliveries were lost (a broker wiped), more than one batch
    settings.OUTBOX_RELAY_BATCH_SIZE = 100
    _pending_in_app_rows(officer_without_email, 210)

    assert tasks.outbox_relay.apply().get() == 210

    assert Notification.objects.filter(recipient=officer_without_email).count() == 210
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.DELIVERED).exists()


def test_one_relay_run_stops_at_its_maximum_and_the_next_run_goes_on(officer_without_email, settings):
    settings.OUTBOX_RELAY_BATCH_SIZE, settings.OUTBOX_RELAY_MAX_PER_RUN = 40, 150
    _pending_in_app_rows(officer_without_email, 210)

    assert tasks.outbox_relay.apply().get() == 150
    assert tasks.outbox_relay.apply().get() == 60
    assert tasks.outbox_relay.apply().get() == 0
    assert Notification.objects.filter(recipient=officer_without_email).count() == 210


def test_a_relay_that_loses_the_broker_frees_the_rows_it_could_not_queue(officer_without_email, monkeypatch):
    rows = _pending_in_app_rows(officer_without_email, 5)
    queued: list[str] = []

    def publish_twice_then_fail(message_id):
        if len(queued) == 2:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        queued.append(message_id)

    monkeypatch.setattr(tasks.outbox_deliver, "delay", publish_twice_then_fail)

    assert tasks.outbox_relay.apply().get() == 2

    left = OutboxMessage.objects.exclude(pk__in=queued)
    assert left.count() == len(rows) - 2
    assert set(left.values_list("claimed_until", "claims_since_attempt")) == {(None, 0)}  # free, and not counted
    assert sorted(services.outbox_claim_due()) == sorted(str(pk) for pk in left.values_list("pk", flat=True))
