"""Who sees which due items: the duty unit's triage queue and every officer's "my due items", both views of the one
table of due items (`screening.Obligation`), and the rows the two pages show.

The triage queue of a duty officer holds the open items of their unit that are for the duty officer (the 1899 reports
to take up, the notices of a child's case "at the same time"), and every other open item of the unit's cases once it
is overdue, whoever it is for: the duty unit sees what is late and can give it to someone. A head's queue is the same
over their unit and the units below it, with the items for the head (the decision on International Cooperation).

"My due items" of an officer: the open items they hold; the items nobody holds that are for one of their roles in
their unit; the items for the case's officer on the cases they are the officer of (the assigned officer, else the
author), unless someone else holds them; and, for a head, every item of their unit the head was told is overdue.

The lists name cases by number only: no victim's name, so reading them writes nothing to the access log.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import reduce
from operator import or_
from uuid import UUID

from django.db.models import Case as Switch
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit, User
from accounts.roles import CASE_WORK_ROLES, NO_PERSONAL_DATA_ROLES, Role
from cases.closed import refuse_closed_case
from cases.denials import logs_denial
from cases.models import Case
from cases.selectors import case_list_editable_by, user_does_case_work
from screening.labels import DEADLINE_RULE_LABELS, OBLIGATION_LABELS, due_in_words
from screening.models import Obligation
from screening.obligations import note_required

from .triage import INTL_DECISION, TRIAGE_ROLES, may_assign, may_claim, may_decide_intl, may_hold

# Deadlines that mean "at once": after the overdue items, the queue lists these first.
IMMEDIATE_RULES = ("immediately", "policy_immediately")
TAB_ALL, TAB_OVERDUE, TAB_TODAY = "all", "overdue", "today"
TABS = (TAB_ALL, TAB_OVERDUE, TAB_TODAY)
# Roles with "my due items": every police role (not analysts, not NGO staff).
POLICE_ROLES = frozenset(Role) - NO_PERSONAL_DATA_ROLES


def user_has_triage(*, user: User) -> bool:
    """Duty officers and heads keep the triage queue."""
    return user.is_authenticated and user.is_active and user.unit_id is not None and user.has_role(*TRIAGE_ROLES)


def user_has_due_items(*, user: User) -> bool:
    """Every police role has "my due items"; analysts and NGO staff do not."""
    return user.is_authenticated and user.is_active and user.unit_id is not None and user.has_role(*POLICE_ROLES)


def _open_items() -> QuerySet[Obligation]:
    """Open items of cases not closed (a closed case's items wait until it is reopened)."""
    return Obligation.objects.filter(status=Obligation.Status.OPEN).exclude(case__status=Case.Status.CLOSED)


def _subtree(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=user.unit.path).values("pk")


def triage_condition(*, user: User, now: datetime) -> Q:
    """The items of the user's triage queue (module docstring), as one condition on open items."""
    condition = Q(pk__in=[])
    if user.has_role(Role.DUTY_OFFICER):
        condition |= Q(unit_id=user.unit_id) & (Q(addressee=Role.DUTY_OFFICER) | Q(due_at__lt=now))
    if user.has_role(Role.SUPERVISOR):
        for_the_unit = Q(addressee__in=[Role.DUTY_OFFICER, Role.SUPERVISOR]) | Q(due_at__lt=now)
        condition |= Q(unit_id__in=_subtree(user)) & for_the_unit
    return condition


def my_items_condition(*, user: User) -> Q:
    """The items of the user's "my due items" (module docstring), as one condition on open items."""
    condition = Q(assignee_id=user.pk)
    roles = [role for role in user.role_names() if role]
    if roles:
        condition |= Q(assignee__isnull=True, unit_id=user.unit_id, addressee__in=roles)
    if user.has_role(*CASE_WORK_ROLES):
        officer_of = Case.objects.filter(
            Q(assigned_officer_id=user.pk) | Q(assigned_officer__isnull=True, created_by_id=user.pk)
        ).values("pk")
        condition |= Q(assignee__isnull=True, addressee="", case_id__in=officer_of)
    if user.has_role(Role.SUPERVISOR):
        condition |= Q(unit_id=user.unit_id, escalated_at__isnull=False)
    return condition


def _ordered(items: QuerySet[Obligation], *, now: datetime) -> QuerySet[Obligation]:
    """Overdue first, then the items due at once, then by deadline (most overdue first)."""
    return items.annotate(
        late=Switch(When(due_at__lt=now, then=Value(0)), default=Value(1), output_field=IntegerField()),
        at_once=Switch(
            When(deadline_rule__in=IMMEDIATE_RULES, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
    ).order_by("late", "at_once", F("due_at").asc(nulls_last=True), "case__number", "code")


def _for_rows(items: QuerySet[Obligation]) -> QuerySet[Obligation]:
    return items.select_related("case", "unit", "assignee")


def _tomorrow(now: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(now) + timedelta(days=1), time.min))


def _tab_condition(tab: str, now: datetime) -> Q:
    if tab == TAB_OVERDUE:
        return Q(due_at__lt=now)
    if tab == TAB_TODAY:  # still in time, due before midnight (Asia/Bishkek)
        return Q(due_at__gte=now, due_at__lt=_tomorrow(now))
    return Q()


def triage_queue(*, user: User, now: datetime) -> QuerySet[Obligation]:
    """The user's triage queue in its order; none for roles without one."""
    if not user_has_triage(user=user):
        return Obligation.objects.none()
    return _ordered(_for_rows(_open_items().filter(triage_condition(user=user, now=now))), now=now)


def my_due_items(*, user: User, now: datetime, tab: str = TAB_ALL) -> QuerySet[Obligation]:
    """The user's own due items in the queue's order, all open ones or one tab (overdue, due today)."""
    if not user_has_due_items(user=user):
        return Obligation.objects.none()
    items = _open_items().filter(my_items_condition(user=user)).filter(_tab_condition(tab, now))
    return _ordered(_for_rows(items), now=now)


def my_tab_counts(*, user: User, now: datetime) -> dict[str, int]:
    """How many of the user's items each tab holds, in one query."""
    if not user_has_due_items(user=user):
        return dict.fromkeys(TABS, 0)
    return (
        _open_items()
        .filter(my_items_condition(user=user))
        .aggregate(**{tab: Count("pk", filter=_tab_condition(tab, now)) for tab in TABS})
    )


def menu_overdue_counts(*, user: User, now: datetime) -> dict[str, int]:
    """Overdue items in the user's "my due items" (`mine`) and triage queue (`triage`), for the menu: one query, and
    none for a user with neither page."""
    conditions = {}
    if user_has_due_items(user=user):
        conditions["mine"] = my_items_condition(user=user)
    if user_has_triage(user=user):
        conditions["triage"] = triage_condition(user=user, now=now)
    if not conditions:
        return {}
    overdue = _open_items().filter(due_at__lt=now).filter(reduce(or_, conditions.values()))
    return overdue.aggregate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})


@logs_denial("obligation", "obligation_id", model="screening.Obligation")
def obligation_get_for_triage(*, user: User, obligation_id: UUID | str) -> Obligation:
    """An item of a case the user works and may change, to take, give, finish or decide it; Http404 otherwise (a
    foreign unit's item, a role that does not work cases). A closed case answers CaseIsClosed."""
    if not user_does_case_work(user=user) or not user_has_due_items(user=user):
        raise Http404
    try:
        obligation = _for_rows(Obligation.objects).get(
            pk=obligation_id, case__in=case_list_editable_by(user=user, include_closed=True).values("pk")
        )
    except (Obligation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    refuse_closed_case(obligation.case)
    return obligation


# ---------------------------------------------------------------------------------------------------------------------
# Rows of the two pages
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    pk: int
    name: str


@dataclass
class DueRow:
    """One item as the pages show it, with what the reader may do with it."""

    obligation: Obligation
    label: str
    overdue: bool
    due_words: str
    rule_label: str
    project_policy: bool
    addressee_label: str
    held_by_me: bool
    can_claim: bool
    can_assign: bool
    can_done: bool
    can_decide: bool
    note_required: bool
    candidates: list[Person] = field(default_factory=list)
    refused_form: object = None  # a refused post of this row, shown again with its errors
    refused_action: str = ""  # assign | done | decide

    def refused(self, action: str):
        return self.refused_form if self.refused_action == action else None

    @property
    def assign_refused(self):
        return self.refused("assign")

    @property
    def done_refused(self):
        return self.refused("done")

    @property
    def decide_refused(self):
        return self.refused("decide")


def addressee_label(addressee: str) -> str:
    if not addressee:
        return str(_("the case's officer"))
    try:
        return str(Role(addressee).label)
    except ValueError:
        return addressee


def due_rows(*, user: User, items: list[Obligation], now: datetime) -> list[DueRow]:
    """The rows of a page of items: labels, time left or overdue, and the reader's actions (a fixed number of
    queries, however many rows: the cases the reader may change, and the people of the units to give items to)."""
    editable = set(
        case_list_editable_by(user=user).filter(pk__in={o.case_id for o in items}).values_list("pk", flat=True)
    )
    works = user_does_case_work(user=user)
    assignable = {o.pk: o.unit_id for o in items if may_assign(user, o)}
    people = _people_of(set(assignable.values()))
    rows = []
    for obligation in items:
        can_assign = obligation.pk in assignable
        candidates = []
        if can_assign:
            candidates = [
                Person(pk, name)
                for pk, name, roles in people.get(obligation.unit_id, [])
                if may_hold(user_id=pk, unit_id=obligation.unit_id, roles=roles, obligation=obligation)
            ]
        may_work = works and obligation.case_id in editable
        rows.append(
            DueRow(
                obligation=obligation,
                label=str(OBLIGATION_LABELS.get(obligation.code, obligation.code)),
                overdue=obligation.due_at is not None and obligation.due_at < now,
                due_words=due_in_words(obligation.due_at, now=now) if obligation.due_at else "",
                rule_label=str(DEADLINE_RULE_LABELS.get(obligation.deadline_rule, obligation.deadline_rule)),
                project_policy=obligation.basis == Obligation.Basis.PROJECT_POLICY,
                addressee_label=addressee_label(obligation.addressee),
                held_by_me=obligation.assignee_id == user.pk,
                can_claim=may_work and may_claim(user, obligation),
                can_assign=may_work and can_assign and bool(candidates),
                can_done=may_work and obligation.code != INTL_DECISION,
                can_decide=may_work and may_decide_intl(user, obligation),
                note_required=note_required(obligation.code),
                candidates=candidates,
            )
        )
    return rows


def _people_of(unit_ids: set) -> dict[int, list[tuple[int, str, set[str]]]]:
    """The active people of the units who work cases, with their roles: {unit id: [(id, name, roles)]}, one query."""
    if not unit_ids:
        return {}
    found: dict[int, dict] = defaultdict(dict)
    rows = (
        User.objects.filter(unit_id__in=unit_ids, is_active=True, groups__name__in=CASE_WORK_ROLES)
        .values_list("pk", "first_name", "last_name", "username", "unit_id", "groups__name")
        .order_by("last_name", "first_name", "pk")
    )
    for pk, first, last, username, unit_id, role in rows:
        name = f"{first} {last}".strip() or username
        found[unit_id].setdefault(pk, (pk, name, set()))[2].add(role)
    return {unit_id: list(people.values()) for unit_id, people in found.items()}
