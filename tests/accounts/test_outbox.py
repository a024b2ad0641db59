"""The transactional outbox: rows written with the change, delivered once after commit, retried on failure."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.utils import timezone

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
    assert len(callbacks) == 2
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

    monkeypatch.setattr(services, "send_mail", refuse)
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

    monkeypatch.setattr(services, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=False):
        messages = _notify(officer)
    email = next(m for m in messages if m.channel == OutboxMessage.Channel.EMAIL)
    OutboxMessage.objects.filter(pk=email.pk).update(attempts=services.MAX_ATTEMPTS - 1)

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
