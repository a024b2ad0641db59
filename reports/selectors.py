"""Permission-filtered reads of rapports. A rapport holds victims' personal data: only the people who work the case
read it (analysts, NGO staff, the 1899 desk and other units get 404), and every read is written to the access log."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Case as Conditional
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from accounts.models import Unit, User
from accounts.readers import Reader
from accounts.roles import Role
from cases.denials import logs_denial
from cases.models import Case, PersonalDataAccess
from cases.selectors import case_get_for_user, user_can_see_personal_data, user_does_case_work
from cases.services import personal_data_read_record
from screening.models import Obligation, Screening

from .models import Rapport

__all__ = [
    "heads_above",
    "rapport_due_immediately",
    "rapport_get_for_head",
    "rapport_get_for_reader",
    "rapport_get_for_user",
    "rapport_of_case",
    "rapport_panel_of",
    "rapport_queue_for",
    "rapport_read_record",
    "user_heads_unit_of",
    "user_may_read_rapports",
    "user_sees_print_queue",
]


def heads_above(*, case: Case) -> QuerySet[User]:
    """The active heads of department (supervisors) of the case's unit and of every unit above it."""
    return (
        User.objects.filter(unit_id__in=case.unit.path_ids, groups__name=Role.SUPERVISOR, is_active=True)
        .select_related("unit")
        .distinct()
        .order_by("-unit__path", "last_name", "pk")
    )


def user_heads_unit_of(*, user: User, case: Case) -> bool:
    """Whether the user is a head of department (supervisor) of the case's unit or of a unit above it."""
    if not user.is_authenticated or not user.is_active or user.unit_id is None:
        return False
    return user.has_role(Role.SUPERVISOR) and user.unit_id in case.unit.path_ids


def user_may_read_rapports(*, user: User) -> bool:
    """Those who work cases read their rapports; analysts, NGO staff, the 1899 desk and International Cooperation
    never do (the rapport holds the victims' personal data)."""
    return user_does_case_work(user=user) and user_can_see_personal_data(user=user)


def _case_for_rapport(*, user: User, case_id: UUID | str) -> Case:
    if not user_may_read_rapports(user=user):
        raise Http404
    return case_get_for_user(user=user, case_id=case_id)


def rapport_of_case(*, case: Case) -> Rapport | None:
    """The case's rapport, or None (the caller has checked access)."""
    return (
        Rapport.objects.select_related("officer", "unit", "addressee", "submitted_by", "approved_by", "registered_by",
                                       "printed_by", "screening")
        .filter(case=case)
        .first()
    )  # fmt: skip


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def rapport_get_for_user(*, user: User, case_id: UUID | str) -> tuple[Case, Rapport | None]:
    """Return a case the user may read rapports of, and its rapport (None before it is started); Http404 for missing
    and forbidden alike. Nothing is logged: call rapport_get_for_reader to show the rapport."""
    case = _case_for_rapport(user=user, case_id=case_id)
    return case, rapport_of_case(case=case)


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def rapport_get_for_reader(
    *, reader: Reader, case_id: UUID | str, action: str = PersonalDataAccess.Action.VIEW
) -> tuple[Case, Rapport | None]:
    """As rapport_get_for_user, and write the read of the rapport (or of the case, before one exists) to the access
    log."""
    case, rapport = rapport_get_for_user(user=reader.user, case_id=case_id)
    rapport_read_record(reader=reader, case=case, rapport=rapport, action=action)
    return case, rapport


def rapport_read_record(*, reader: Reader, case: Case, rapport: Rapport | None, action: str) -> None:
    """Write one read of a rapport (or of the case, before one exists) to the access log."""
    personal_data_read_record(reader=reader, case=case, record=rapport or case, action=action)


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def rapport_get_for_head(*, user: User, case_id: UUID | str) -> tuple[Case, Rapport]:
    """Return a case and its rapport for a head's decision (return, approve, register): Http404 unless the user heads
    the case's unit or a unit above it and the rapport exists."""
    case, rapport = rapport_get_for_user(user=user, case_id=case_id)
    if rapport is None or not user_heads_unit_of(user=user, case=case):
        raise Http404
    return case, rapport


# ---------------------------------------------------------------------------
# Due immediately: violence against a woman (DOMAIN §7.10)
# ---------------------------------------------------------------------------
def _immediately_condition(case_ref: str = "pk") -> tuple[Q, dict]:
    """The condition, and the annotations it reads: the case's latest screening found violence against a woman, or the
    case has an open `rapport_immediately` item."""
    latest_violence = Subquery(
        Screening.objects.filter(case_id=OuterRef(case_ref))
        .order_by("-created_at")
        .values("violence_against_women")[:1]
    )
    open_item = Exists(
        Obligation.objects.filter(case_id=OuterRef(case_ref), code="rapport_immediately", status=Obligation.Status.OPEN)
    )
    return Q(latest_violence=True) | Q(open_item=True), {"latest_violence": latest_violence, "open_item": open_item}


def rapport_due_immediately(*, case: Case, rapport: Rapport | None = None) -> bool:
    """Whether the case's rapport is due immediately: violence against a woman was found and it is not registered."""
    if rapport is not None and rapport.status == Rapport.Status.REGISTERED:
        return False
    latest = case.screenings.order_by("-created_at").values_list("violence_against_women", flat=True).first()
    if latest:
        return True
    return case.obligations.filter(code="rapport_immediately", status=Obligation.Status.OPEN).exists()


def rapport_panel_of(*, case: Case) -> tuple[Rapport | None, bool]:
    """The case's rapport (with its officer) and whether it is due immediately, in one query (the case page)."""
    condition, annotations = _immediately_condition("pk")
    row = (
        Case.objects.filter(pk=case.pk)
        .select_related("rapport", "rapport__officer")
        .annotate(**annotations)
        .annotate(
            immediately=Conditional(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .only("pk", "rapport")
        .first()
    )
    if row is None:
        return None, False
    rapport = getattr(row, "rapport", None) if hasattr(row, "rapport") else None
    registered = rapport is not None and rapport.status == Rapport.Status.REGISTERED
    return rapport, bool(row.immediately) and not registered


# ---------------------------------------------------------------------------
# The head's print queue
# ---------------------------------------------------------------------------
def user_sees_print_queue(*, user: User) -> bool:
    """Heads of department see the rapports of their unit and the units below it waiting for them."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.unit_id is not None and user.has_role(Role.SUPERVISOR)


def rapport_queue_for(*, user: User) -> QuerySet[Rapport]:
    """The rapports of the head's unit and the units below it waiting for approval (submitted) or for printing
    (approved or registered, not printed): due immediately first, then submitted before approved, oldest first.

    Each row carries `due_immediately`.
    """
    if not user_sees_print_queue(user=user):
        return Rapport.objects.none()
    units = Unit.objects.filter(path__startswith=user.unit.path).values("pk")
    waiting = Q(status=Rapport.Status.SUBMITTED) | Q(
        status__in=[Rapport.Status.APPROVED, Rapport.Status.REGISTERED], printed_at__isnull=True
    )
    condition, annotations = _immediately_condition("case_id")
    return (
        Rapport.objects.filter(waiting, unit_id__in=units, case__unit_id__in=units)
        .annotate(**annotations)
        .annotate(
            due_immediately=Conditional(
                When(condition & ~Q(status=Rapport.Status.REGISTERED), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            stage=Conditional(
                When(status=Rapport.Status.SUBMITTED, then=Value(0)),
                When(status=Rapport.Status.APPROVED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .select_related("case", "unit", "officer", "addressee", "approved_by", "printed_by")
        .order_by("-due_immediately", "stage", "submitted_at", "pk")
    )
