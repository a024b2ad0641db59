"""Helpers of the triage tests: a 1899 call passed to a district, and due items made to order."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import OutboxMessage
from referrals import services
from screening.models import Obligation


def record_call(operator, district, *, urgency: str = "urgent", received_at: datetime | None = None):
    """A 1899 call passed to the district's duty unit: a case without an officer and its take-up item."""
    data = {"caller": "anonymous", "summary": "Кошунасы кызды камап коюптур.", "urgency": urgency, "district": district}
    if received_at is not None:
        data["received_at"] = received_at
    return services.hotline_call_record(operator=operator, data=data)


def item(case, code: str, *, addressee: str = "", due_in: timedelta | None = timedelta(hours=5), **extra):
    """A due item of a case, for a role of the case's unit ("" the case's officer), due `due_in` from now."""
    extra.setdefault("deadline_rule", "policy_hours")
    extra.setdefault("basis", Obligation.Basis.PROJECT_POLICY)
    extra.setdefault("due_at", None if due_in is None else timezone.now() + due_in)
    return Obligation.objects.create(case=case, code=code, addressee=addressee, unit_id=case.unit_id, **extra)


def outbox(user, kind: str | None = None) -> list[OutboxMessage]:
    """The in-app outbox rows of a user (of one kind)."""
    rows = OutboxMessage.objects.filter(recipient=user, channel=OutboxMessage.Channel.IN_APP).order_by("created_at")
    return list(rows.filter(kind=kind) if kind else rows)


def reasons(obligation) -> list[str]:
    history = obligation.history.order_by("history_date", "history_id")
    return list(history.values_list("history_change_reason", flat=True))
