"""Permission-filtered reads. Every view starts here; a case that is missing or not the user's answers 404."""

from dataclasses import dataclass, replace
from datetime import date
from difflib import SequenceMatcher
from uuid import UUID

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts.models import User
from accounts.readers import Reader
from accounts.roles import NO_PERSONAL_DATA_ROLES, OTHER_UNIT_MATCH_COUNT_ROLES, UNIT_CASE_ROLES, Role
from accounts.throttle import rate_limit_allows

from . import services
from .models import (
    Attachment,
    Case,
    ExploitationSite,
    LegalRepresentative,
    OfficerStep,
    PersonalDataAccess,
    Suspect,
    Victim,
)
from .names import digits_key, document_key, name_key
from .permissions import CHANGE_CASE, VIEW_CASE
from .probes import document_probe_key, keyed_hash, phone_probe_key, probe_of


def _granted_case_ids(user: User, codename: str) -> QuerySet:
    """Ids of the cases granted to the user one by one; model-wide permissions are deliberately not accepted."""
    granted = get_objects_for_user(
        user,
        f"cases.{codename}",
        klass=Case.objects.all(),
        accept_global_perms=False,
        with_superuser=False,
    )
    return granted.values("pk")


def _role_scope(user: User) -> Q:
    """The cases a user's roles reach in their unit tree (no per-case grants)."""
    scope = Q(pk__in=[])
    if user.unit_id is None:
        return scope
    if user.has_role(Role.SUPERVISOR):
        scope |= Q(unit__path__startswith=user.unit.path)
    if user.has_role(*(UNIT_CASE_ROLES - {Role.SUPERVISOR})):
        scope |= Q(unit_id=user.unit_id)
    if user.has_role(Role.INSPECTOR, Role.HOTLINE_OPERATOR):
        scope |= Q(unit_id=user.unit_id) & (Q(created_by=user) | Q(assigned_officer=user))
    return scope


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    """Return the cases the user may read: by unit and role, plus per-case grants."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    granted = Q(pk__in=_granted_case_ids(user, VIEW_CASE)) | Q(pk__in=_granted_case_ids(user, CHANGE_CASE))
    return Case.objects.filter(_role_scope(user) | granted)


def case_list_editable_by(*, user: User) -> QuerySet[Case]:
    """Return the cases the user may change: by unit and role, plus per-case change grants."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(_role_scope(user) | Q(pk__in=_granted_case_ids(user, CHANGE_CASE)))


def case_get_for_user(*, user: User, case_id: UUID | str, for_change: bool = False) -> Case:
    """Return one case the user may read (or change); raise Http404 for missing and forbidden alike."""
    queryset = case_list_editable_by(user=user) if for_change else case_list_visible_to(user=user)
    try:
        return queryset.select_related("unit", "created_by", "assigned_officer").get(pk=case_id)
    except (Case.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def victim_get_for_user(*, user: User, victim_id: UUID | str, for_change: bool = False) -> Victim:
    """Return a victim of a case the user may read (or change); Http404 otherwise and to roles without personal data."""
    _refuse_roles_without_personal_data(user)
    cases = case_list_editable_by(user=user) if for_change else case_list_visible_to(user=user)
    try:
        return Victim.objects.select_related("case", "case__unit").get(pk=victim_id, case__in=cases)
    except (Victim.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def attachment_get_for_user(*, user: User, attachment_id: UUID | str) -> Attachment:
    """Return one attachment of a case the user may read; Http404 otherwise, and to roles without personal data.

    Files are personal data: passport scans, explanations.
    """
    _refuse_roles_without_personal_data(user)
    try:
        return Attachment.objects.select_related("case").get(pk=attachment_id, case__in=case_list_visible_to(user=user))
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def user_can_change_case(*, user: User, case: Case) -> bool:
    return case_list_editable_by(user=user).filter(pk=case.pk).exists()


def user_can_see_personal_data(*, user: User) -> bool:
    """Analysts and NGO staff never see victims' personal data in case pages."""
    if user.is_superuser:
        return True
    return not user.has_role(*NO_PERSONAL_DATA_ROLES)


def _refuse_roles_without_personal_data(user: User) -> None:
    """Answer 404, as for a foreign case, to a role that never sees personal data, whatever was granted to it."""
    if not user.is_authenticated or not user_can_see_personal_data(user=user):
        raise Http404


def case_history(*, case: Case) -> list:
    """Return the history of a case and everything in it, newest first (the caller has checked access)."""
    records = list(case.history.select_related("history_user").all())
    for model in (Victim, Suspect, ExploitationSite, Attachment, OfficerStep):
        records.extend(
            model.history.filter(case_id=case.pk).select_related("history_user")  # type: ignore[attr-defined]
        )
    victim_ids = list(Victim.history.filter(case_id=case.pk).values_list("id", flat=True).distinct())
    records.extend(LegalRepresentative.history.filter(victim_id__in=victim_ids).select_related("history_user"))
    # Obligations (deadlines moved with the incident time, items done) belong to the screening app, a higher one:
    # reached through the reverse relation, not imported.
    records.extend(case.obligations.model.history.filter(case_id=case.pk).select_related("history_user"))
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    return records


# ---------------------------------------------------------------------------
# Duplicate search before a new victim is saved
# ---------------------------------------------------------------------------
NAME_SIMILARITY_THRESHOLD = 0.45


@dataclass(frozen=True)
class DuplicateCandidates:
    """Likely matches the user may open, and how many more exist in cases the user cannot see."""

    visible: list[Victim]
    hidden_count: int | None  # None: the reader's role is not told about other units (victim_duplicate_check)


def victim_possible_duplicates(
    *,
    user: User,
    names: tuple[str, ...],
    date_of_birth: date | None = None,
    phone: str = "",
    document_number: str = "",
    exclude_id: UUID | None = None,
    limit: int = 10,
) -> DuplicateCandidates:
    """Find victims that may be the same person: similar name in any script, same date of birth, phone or document."""
    key = name_key(*names)
    phone_digits = digits_key(phone)
    document = document_key(document_number)
    exact = Q(pk__in=[])
    if phone_digits and len(phone_digits) >= 6:
        exact |= Q(phone_key=phone_digits)
    if document and len(document) >= 5:
        exact |= Q(document_key=document)
    if key and date_of_birth:
        exact |= Q(date_of_birth=date_of_birth, name_key__contains=key.split()[0][:4])
    base = Victim.objects.exclude(pk=exclude_id) if exclude_id else Victim.objects.all()
    matched_ids = set(base.filter(exact).values_list("pk", flat=True)[:200])
    if key:
        matched_ids |= _similar_name_ids(base, key)
    if not matched_ids:
        return DuplicateCandidates(visible=[], hidden_count=0)
    visible_cases = case_list_visible_to(user=user)
    visible = list(
        Victim.objects.filter(pk__in=matched_ids, case__in=visible_cases).select_related("case", "case__unit")[:limit]
    )
    for victim in visible:
        # Say why each one matched instead of showing more of their personal data.
        victim.match_reasons = [
            reason
            for reason, matched in (
                ("phone", bool(phone_digits) and victim.phone_key == phone_digits),
                ("document", bool(document) and victim.document_key == document),
                ("date_of_birth", date_of_birth is not None and victim.date_of_birth == date_of_birth),
                ("name", bool(key) and SequenceMatcher(None, key, victim.name_key).ratio() >= 0.6),
            )
            if matched
        ]
    hidden_count = Victim.objects.filter(pk__in=matched_ids).exclude(case__in=visible_cases).count()
    return DuplicateCandidates(visible=visible, hidden_count=hidden_count)


def _similar_name_ids(base: QuerySet[Victim], key: str) -> set:
    if connection.vendor == "postgresql":
        # The % operator (trigram_similar) is what the GIN index serves; its threshold is set for this connection.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_limit(%s)", [NAME_SIMILARITY_THRESHOLD])
        return set(
            base.filter(name_key__trigram_similar=key)
            .annotate(similarity=TrigramSimilarity("name_key", key))
            .order_by("-similarity")
            .values_list("pk", flat=True)[:50]
        )
    # SQLite fallback: narrow by a token prefix in the database, then compare in Python.
    prefixes = Q(pk__in=[])
    for token in key.split():
        prefixes |= Q(name_key__contains=token[:3])
    candidates = base.filter(prefixes).values_list("pk", "name_key")[:2000]
    return {
        pk
        for pk, other in candidates
        if other and SequenceMatcher(None, key, other).ratio() >= NAME_SIMILARITY_THRESHOLD + 0.3
    }


# ---------------------------------------------------------------------------
# Personal data on case pages: the rule of ARCHITECTURE §3 lives here, not in the views
# ---------------------------------------------------------------------------
def case_get_with_personal_data(*, reader: Reader, case_id: UUID | str, action: str, for_change: bool = False) -> Case:
    """Return a case for a page made to show or change personal data (its circumstances, its people); log the read.

    Http404 for missing and forbidden alike, and to analysts and NGO staff even when the case was granted to them.
    """
    _refuse_roles_without_personal_data(reader.user)
    case = case_get_for_user(user=reader.user, case_id=case_id, for_change=for_change)
    services.personal_data_read_record(reader=reader, case=case, record=case, action=action)
    return case


def case_get_for_adding_people(*, user: User, case_id: UUID | str) -> Case:
    """Return a case the user may change, for the new-person form; Http404 also to roles without personal data."""
    _refuse_roles_without_personal_data(user)
    return case_get_for_user(user=user, case_id=case_id, for_change=True)


def case_circumstances_for(*, reader: Reader, case: Case) -> str:
    """Return a case's circumstances and log the read; empty for roles without personal data."""
    if not user_can_see_personal_data(user=reader.user) or not case.summary:
        return ""
    services.personal_data_read_record(reader=reader, case=case, record=case, action=PersonalDataAccess.Action.VIEW)
    return case.summary


def victim_get_for_reader(
    *, reader: Reader, victim_id: UUID | str, action: str = PersonalDataAccess.Action.VIEW, for_change: bool = False
) -> Victim:
    """Return a victim for a page that shows their personal data, and log the read; Http404 as victim_get_for_user."""
    victim = victim_get_for_user(user=reader.user, victim_id=victim_id, for_change=for_change)
    services.personal_data_read_record(reader=reader, case=victim.case, record=victim, action=action)
    return victim


def attachment_get_for_reader(*, reader: Reader, attachment_id: UUID | str) -> Attachment:
    """Return a file to download, and log the read; Http404 as attachment_get_for_user."""
    attachment = attachment_get_for_user(user=reader.user, attachment_id=attachment_id)
    services.personal_data_read_record(
        reader=reader, case=attachment.case, record=attachment, action=PersonalDataAccess.Action.DOWNLOAD
    )
    return attachment


@dataclass(frozen=True)
class VictimOutline:
    """What a role without personal data may know of a victim: no name, no date of birth, no contact, no link."""

    sex_label: str
    age_at_act: int | None
    is_child: bool
    child_by_presumption: bool
    is_foreign: bool
    citizenship: str

    def get_sex_display(self) -> str:
        return self.sex_label


def case_victims_for(*, user: User, case: Case) -> list[Victim] | list[VictimOutline]:
    """Return the victims of a case the user may read: in full, or only in outline for roles without personal data."""
    victims = list(case.victims.select_related("case"))
    if user_can_see_personal_data(user=user):
        return victims
    return [
        VictimOutline(
            sex_label=victim.get_sex_display(),
            age_at_act=victim.age_at_act,
            is_child=victim.is_child,
            child_by_presumption=victim.child_by_presumption,
            is_foreign=victim.is_foreign,
            citizenship=victim.citizenship,
        )
        for victim in victims
    ]


# ---------------------------------------------------------------------------
# The duplicate check as pages run it: refused to roles without personal data, rate-limited, logged
# ---------------------------------------------------------------------------
class DuplicateCheckRefused(Exception):
    """The user ran more duplicate checks than DUPLICATE_CHECK_RATE allows; nothing was searched."""


def user_sees_other_unit_matches(*, user: User) -> bool:
    """Duty officers, heads and КИБ are told how many matches lie in other units' cases; others are not."""
    return user.is_superuser or user.has_role(*OTHER_UNIT_MATCH_COUNT_ROLES)


def victim_duplicate_check(
    *,
    reader: Reader,
    case: Case,
    names: tuple[str, ...],
    date_of_birth: date | None = None,
    phone: str = "",
    document_number: str = "",
    exclude_id: UUID | None = None,
) -> DuplicateCandidates:
    """Search possible duplicates for a person about to be added to `case`, and log the probe.

    Raise DuplicateCheckRefused past the user's rate limit. The log row keeps the kinds of keys searched and each key
    as a keyed hash, so a supervisor can find who probed a number (personal_data_probes_of) without storing it.
    """
    _refuse_roles_without_personal_data(reader.user)
    limit, window_seconds = settings.DUPLICATE_CHECK_RATE
    if not rate_limit_allows(
        scope="duplicate_check", user_id=reader.user.pk, limit=limit, window_seconds=window_seconds
    ):
        raise DuplicateCheckRefused
    found = victim_possible_duplicates(
        user=reader.user,
        names=names,
        date_of_birth=date_of_birth,
        phone=phone,
        document_number=document_number,
        exclude_id=exclude_id,
    )
    if not user_sees_other_unit_matches(user=reader.user):
        found = replace(found, hidden_count=None)
    services.personal_data_access_record(
        user=reader.user,
        case=case,
        record=case,
        action=PersonalDataAccess.Action.DUPLICATE_CHECK,
        ip_address=reader.ip_address,
        user_agent=reader.user_agent,
        probe=probe_of(names=names, date_of_birth=date_of_birth, phone=phone, document_number=document_number),
    )
    return found


def personal_data_probes_of(*, phone: str = "", document_number: str = "", name: str = "") -> QuerySet:
    """Return the duplicate checks that searched this phone, document number or name (in any spelling), newest first.

    For supervisors and auditors: the number is hashed the way the check hashed it; nothing is stored in clear.
    """
    condition = Q(pk__in=[])
    for field, hashed in (
        ("phone_hash", keyed_hash("phone", phone_probe_key(phone))),
        ("document_hash", keyed_hash("document", document_probe_key(document_number))),
        ("name_hash", keyed_hash("name", name_key(name))),
    ):
        if hashed:
            condition |= Q(**{field: hashed})
    return (
        PersonalDataAccess.objects.filter(condition, action=PersonalDataAccess.Action.DUPLICATE_CHECK)
        .select_related("user", "unit", "case")
        .order_by("-at")
    )
