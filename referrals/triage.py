"""The duty unit's triage of due items: who may take or give an item, taking it, giving it, finishing it, and the
escalation clock that tells the head of an item left overdue, once.

There is one table of due items, `screening.Obligation`: the triage queue and every officer's "my due items" are
views of its rows (referrals.triage_selectors). An item is for a role of its unit (`addressee`), or for the case's
officer (`addressee` ""); `assignee` is the person who took it or was given it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import set_history
from accounts.models import User
from accounts.roles import Role
from accounts.services import outbox_notify_user, outbox_notify_users, users_with_role
from cases.models import Case
from cases.services import case_take_up, lock_open_case
from screening.models import Obligation
from screening.services import obligation_complete

# Roles that reach every case of their unit and work it: an item for the case's officer may be given to any of them.
UNIT_WIDE_WORKERS = frozenset({Role.DUTY_OFFICER, Role.INVESTIGATOR, Role.KIB_OFFICER, Role.SUPERVISOR})
# Who keeps the triage queue and gives items to people: the duty officers of a unit, and the heads above it.
TRIAGE_ROLES = frozenset({Role.DUTY_OFFICER, Role.SUPERVISOR})
# The item whose holder becomes the officer of a case that has none, and whose 1899 operator is told.
TAKE_UP_REPORT = "take_up_report"
INTL_DECISION = "intl_cooperation_decision"
ESCALATION_BATCH = 200
HEAD = Role.SUPERVISOR


class ClaimRefused(ValidationError):
    """The item cannot be taken by this person: someone else holds it, it is done, or it is not for their role."""


# ---------------------------------------------------------------------------------------------------------------------
# Who may
# ---------------------------------------------------------------------------------------------------------------------
def case_officer_id(case: Case):
    """The officer responsible for a case: its assigned officer, else its author."""
    return case.assigned_officer_id or case.created_by_id


def may_hold(*, user_id, unit_id, roles: Iterable[str], obligation: Obligation) -> bool:
    """Whether a person (their id, unit and roles) may hold an item: a person of the item's unit with the role it is
    for; an item for the case's officer, anyone of the unit who works every case of it, or the case's own officer when
    an inspector. Pure: the triage page asks it for every person of a select, the services for the one chosen."""
    roles = set(roles)
    if unit_id is None or unit_id != obligation.unit_id:
        return False
    if obligation.addressee:
        return obligation.addressee in roles
    if roles & UNIT_WIDE_WORKERS:
        return True
    return Role.INSPECTOR in roles and user_id == case_officer_id(obligation.case)


def may_claim(user: User, obligation: Obligation) -> bool:
    """Whether the user may take an open item nobody holds: a person of the role it is for, in its unit."""
    return (
        user.is_active
        and obligation.status == Obligation.Status.OPEN
        and obligation.assignee_id is None
        and bool(obligation.addressee)
        and user.unit_id is not None
        and user.unit_id == obligation.unit_id
        and user.has_role(obligation.addressee)
    )


def may_assign(user: User, obligation: Obligation) -> bool:
    """Whether the user may give an open item to someone: a duty officer of its unit, or a head of its unit or of a
    unit above it."""
    if not user.is_active or user.unit_id is None or obligation.status != Obligation.Status.OPEN:
        return False
    if user.has_role(Role.DUTY_OFFICER) and user.unit_id == obligation.unit_id:
        return True
    return user.has_role(Role.SUPERVISOR) and _in_subtree(obligation, user)


def _in_subtree(obligation: Obligation, user: User) -> bool:
    """Whether the item's unit is the user's unit or one below it."""
    return obligation.unit_id is not None and obligation.unit.path.startswith(user.unit.path)


def may_decide_intl(user: User, obligation: Obligation) -> bool:
    """Whether the user may record the decision on informing International Cooperation: a head over the item's unit."""
    return (
        obligation.code == INTL_DECISION
        and obligation.status == Obligation.Status.OPEN
        and user.is_active
        and user.unit_id is not None
        and user.has_role(Role.SUPERVISOR)
        and _in_subtree(obligation, user)
    )


# ---------------------------------------------------------------------------------------------------------------------
# Taking, giving, finishing
# ---------------------------------------------------------------------------------------------------------------------
def _locked(obligation: Obligation) -> Obligation:
    """The item's row, locked after its case's (locks are taken case first); refuses a closed case."""
    lock_open_case(obligation.case_id)
    return (
        Obligation.objects.select_for_update(of=("self",))
        .select_related("case__unit", "unit", "assignee")
        .get(pk=obligation.pk)
    )


def _refuse_unless_open(obligation: Obligation) -> None:
    if obligation.status != Obligation.Status.OPEN:
        raise ClaimRefused(_("This item is done already. Reload the page."))


def obligation_claim(*, obligation: Obligation, actor: User) -> Obligation:
    """A person of the role an item is for, in its unit, takes it: it is theirs, with the time.

    Refused when someone else holds it (two duty officers clicking at once: the second waits for the first and is
    refused). Taking a 1899 report makes the claimant the case's officer when it has none, and tells the operator who
    recorded the call.
    """
    with transaction.atomic():
        current = _locked(obligation)
        _refuse_unless_open(current)
        if current.assignee_id == actor.pk:
            return current  # a second click
        if current.assignee_id is not None:
            raise ClaimRefused(
                _("{name} has taken this item already.").format(name=current.assignee.get_full_name() or "—")
            )
        if not may_claim(actor, current):
            raise ClaimRefused(_("This item is for another role or unit: you cannot take it."))
        _hold(current, holder=actor, actor=actor, reason="claimed")
    return current


def obligation_assign(*, obligation: Obligation, actor: User, assignee: User) -> Obligation:
    """A duty officer of the item's unit, or a head above it, gives the item to a person of the unit who may hold it
    (also when someone holds it: it changes hands); the person is told."""
    with transaction.atomic():
        current = _locked(obligation)
        _refuse_unless_open(current)
        if not may_assign(actor, current):
            raise ValidationError(_("Only the unit's duty officer or its head may give this item to someone."))
        if not assignee.is_active or not may_hold(
            user_id=assignee.pk, unit_id=assignee.unit_id, roles=assignee.role_names(), obligation=current
        ):
            raise ValidationError({"assignee": _("This person cannot take this item: choose one from the list.")})
        if current.assignee_id == assignee.pk:
            return current
        previous = current.assignee_id
        reason = f"given to user {assignee.pk}" + (f" (held by user {previous})" if previous else "")
        _hold(current, holder=assignee, actor=actor, reason=reason)
        if assignee.pk != actor.pk:
            outbox_notify_user(
                recipient=assignee,
                kind="due_item_assigned",
                params={"case_number": current.case.number, "case_id": str(current.case_id), "code": current.code},
                link=reverse("referrals:my_items"),
            )
    return current


def _hold(obligation: Obligation, *, holder: User, actor: User, reason: str) -> None:
    """Give a locked item to `holder`; a 1899 report taken up gets its officer and the operator is told."""
    first_holder = obligation.assignee_id is None and obligation.claimed_at is None
    obligation.assignee = holder
    obligation.claimed_at = timezone.now()
    set_history(obligation, actor=actor, reason=reason)
    obligation.save(update_fields=["assignee", "claimed_at"])
    if obligation.code == TAKE_UP_REPORT:
        case_take_up(case=obligation.case, officer=holder, actor=actor)
        if first_holder:
            _tell_the_operator(obligation.case)


def _tell_the_operator(case: Case) -> None:
    """Tell the 1899 operator who recorded the call that the unit took the report up: its number and the unit only."""
    call = getattr(case, "hotline_call", None)
    if call is None:
        return
    outbox_notify_user(
        recipient=call.operator,
        kind="report_taken_up",
        params={"case_number": case.number, "unit": case.unit.name},
        link=reverse("referrals:hotline_calls"),
    )


def obligation_finish(*, obligation: Obligation, actor: User, note: str = "") -> Obligation:
    """Mark an item done from the triage queue or "my due items" (screening.services.obligation_complete), taking it
    first when nobody holds it and the actor may: a 1899 report marked done is taken up by whoever did it.

    The head's decision on International Cooperation is recorded with its own form (intl_cooperation_decide).
    """
    if obligation.code == INTL_DECISION:
        raise ValidationError(_("Record the head's decision on International Cooperation with its own form."))
    with transaction.atomic():
        current = _locked(obligation)
        if current.status == Obligation.Status.OPEN and current.assignee_id is None and may_claim(actor, current):
            _hold(current, holder=actor, actor=actor, reason="claimed")
        return obligation_complete(obligation=current, actor=actor, note=note)


# ---------------------------------------------------------------------------------------------------------------------
# The escalation clock
# ---------------------------------------------------------------------------------------------------------------------
def escalation_grace() -> timedelta:
    return timedelta(minutes=getattr(settings, "OBLIGATION_ESCALATION_GRACE_MINUTES", 0))


@dataclass(frozen=True)
class Escalated:
    obligation_id: object
    case_number: str
    heads_told: int


def escalate_overdue(*, now: datetime | None = None) -> list[Escalated]:
    """Tell the heads (role supervisor) of each open item's unit, once, that it is overdue past the grace
    (OBLIGATION_ESCALATION_GRACE_MINUTES), and stamp it `escalated_at`.

    Run by beat every minute. Each batch claims its rows with FOR UPDATE SKIP LOCKED and re-reads `escalated_at IS
    NULL` under the lock, so two runs at once (or a run and a late one) tell each head once per item. An item reopened
    or whose deadline moves later is cleared by screening.services and may escalate again.
    """
    now = now or timezone.now()
    escalated: list[Escalated] = []
    while True:
        batch = _escalate_batch(now)
        escalated += batch
        if len(batch) < ESCALATION_BATCH:
            return escalated


def _escalate_batch(now: datetime) -> list[Escalated]:
    heads_of_unit: dict = {}
    done: list[Escalated] = []
    with transaction.atomic():
        overdue = list(
            Obligation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Obligation.Status.OPEN, escalated_at__isnull=True, due_at__lt=now - escalation_grace())
            .exclude(case__status=Case.Status.CLOSED)
            .select_related("case")
            .order_by("due_at", "pk")[:ESCALATION_BATCH]
        )
        for obligation in overdue:
            obligation.escalated_at = now
            set_history(obligation, actor=None, reason="overdue: the head is told")
            obligation.save(update_fields=["escalated_at"])
            if obligation.unit_id not in heads_of_unit:
                heads_of_unit[obligation.unit_id] = list(users_with_role(unit_id=obligation.unit_id, role=HEAD))
            heads = heads_of_unit[obligation.unit_id]
            case = obligation.case
            outbox_notify_users(
                recipients=heads,
                kind="due_item_overdue",
                params={"case_number": case.number, "case_id": str(case.pk), "code": obligation.code},
                link=reverse("cases:detail", args=[case.pk]),
            )
            done.append(Escalated(obligation.pk, case.number, len(heads)))
    return done
