"""Permission-filtered reads. Every view starts here; a case that is missing or not the user's answers 404."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import reduce
from operator import or_
from uuid import UUID

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, Lookup, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import Unit, User
from accounts.readers import Reader
from accounts.roles import (
    ACCESS_LOG_AUDIT_ROLES,
    CASE_WORK_ROLES,
    NO_PERSONAL_DATA_ROLES,
    OTHER_UNIT_MATCH_COUNT_ROLES,
    UNIT_CASE_ROLES,
    Role,
)
from accounts.throttle import rate_limit_allows

from . import services
from .closed import CaseIsClosed, refuse_closed_case  # noqa: F401 - the selectors' API
from .denials import logs_denial
from .models import (
    Attachment,
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Country,
    ExploitationSite,
    LegalRepresentative,
    OfficerStep,
    PersonalDataAccess,
    Suspect,
    Victim,
)
from .names import digits_key, document_key, name_key, phonetic_key, trigram_similarity
from .permissions import CHANGE_CASE, VIEW_CASE
from .probes import document_blind_index, document_probe_key, keyed_hash, phone_blind_index, phone_probe_key, probe_of


def _granted_cases(user: User, *codenames: str) -> Q:
    """Cases granted to the user one by one, directly or through a group; model-wide permissions never count.

    Read straight from guardian's direct foreign-key tables (no generic object ids to cast), each as
    `pk = ANY(ARRAY(subquery))` on PostgreSQL: the subquery runs once and its ids feed an index scan of the cases even
    inside an OR, where `pk IN (subquery)` would force a scan of every case.
    """
    permission = {
        "permission__codename__in": codenames,
        "permission__content_type__app_label": Case._meta.app_label,
        "permission__content_type__model": Case._meta.model_name,
    }
    direct = CaseUserObjectPermission.objects.filter(user=user, **permission).values("content_object_id")
    memberships = User.groups.through.objects.filter(user_id=user.pk).values("group_id")
    through_groups = CaseGroupObjectPermission.objects.filter(_among("group_id", memberships), **permission)
    return _among("pk", direct) | _among("pk", through_groups.values("content_object_id"))


def _among(field: str, ids: QuerySet) -> Q:
    """`field IN (ids)`, written `field = ANY(ARRAY(ids))` on PostgreSQL: the subquery runs once, first, and its ids
    feed an index scan (also inside an OR, and without the planner guessing a join order from the other table)."""
    ids = ids.order_by()  # a model's default ordering would only add a sort to the subquery
    if connection.vendor == "postgresql":
        return Q(_EqualsAny(F(field), ArraySubquery(ids)))
    return Q(**{f"{field}__in": ids})


class _EqualsAny(Lookup):
    """`lhs = ANY(rhs)` for an array on the right."""

    lookup_name = "equals_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _role_scope(user: User) -> Q:
    """The cases a user's roles reach in their unit tree (no per-case grants), as conditions an index can serve."""
    scope = Q(pk__in=[])
    if user.unit_id is None:
        return scope
    if user.has_role(Role.SUPERVISOR):
        scope |= Q(unit_id__in=_unit_subtree_ids(user))
    if user.has_role(*(UNIT_CASE_ROLES - {Role.SUPERVISOR})):
        scope |= Q(unit_id=user.unit_id)
    if user.has_role(Role.INSPECTOR, Role.HOTLINE_OPERATOR):
        scope |= Q(unit_id=user.unit_id) & (Q(created_by=user) | Q(assigned_officer=user))
    return scope


def _unit_subtree_ids(user: User) -> list[int]:
    """Ids of the user's unit and every unit below it: a list of ids the planner can estimate, not a path pattern."""
    return list(Unit.objects.filter(path__startswith=user.unit.path).values_list("pk", flat=True))


def case_list_visible_to(*, user: User) -> QuerySet[Case]:
    """Return the cases the user may read: by unit and role, plus per-case grants."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(_role_scope(user) | _granted_cases(user, VIEW_CASE, CHANGE_CASE))


def case_list_editable_by(*, user: User, include_closed: bool = False) -> QuerySet[Case]:
    """Return the cases the user may change: by unit and role, plus per-case change grants.

    A closed case is changed by nobody until it is reopened: left out unless `include_closed` (to reopen it, or to
    tell the user why a change is refused).
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    cases = Case.objects.all()
    if not user.is_superuser:
        cases = cases.filter(_role_scope(user) | _granted_cases(user, CHANGE_CASE))
    return cases if include_closed else cases.exclude(status=Case.Status.CLOSED)


def unit_list_for_case_filter(*, user: User) -> QuerySet[Unit]:
    """Units the case list may be filtered by: those the user's role reaches (a head's subtree), all for a superuser.

    Built from the role scope, not from the visible cases, so that the filter costs no scan of the cases.
    """
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.order_by("path")
    if user.unit_id is None or not user.has_role(*UNIT_CASE_ROLES, Role.INSPECTOR, Role.HOTLINE_OPERATOR):
        return Unit.objects.none()
    if user.has_role(Role.SUPERVISOR):
        return Unit.objects.filter(path__startswith=user.unit.path).order_by("path")
    return Unit.objects.filter(pk=user.unit_id)


def case_search_condition(value: str, *, include_victims: bool = True) -> Q:
    """Cases whose number or place contains `value`, or with a victim of that name (any script), phone or document.

    `include_victims=False` searches the number and the place only (for roles that may not learn who is in a case).

    Each part is a subquery of case ids (no join, so no duplicate rows and no DISTINCT), served by an index on
    PostgreSQL (trigram for the substrings, b-tree for the document). As `pk = ANY(ARRAY(…))` the planner takes the
    matches for few rows and sorts them, instead of walking the whole list in date order hoping to meet one soon.
    """
    by_case = Case.objects.filter(Q(number__icontains=value) | Q(incident_place__icontains=value)).values("pk")
    condition = _among("pk", by_case)
    if not include_victims:
        return condition
    victims = []
    # A name has no digits: "OSH-2026-00012" must not match every victim whose name contains "osh".
    key = "" if any(ch.isdigit() for ch in value) else name_key(value)
    if key:
        victims.append(Q(name_key__contains=key))
    # The phone and the document number are encrypted: found by the whole value through their blind index.
    if len(digits_key(value)) >= 6:
        victims.append(Q(phone_key=phone_blind_index(value)))
    if len(document_key(value)) >= 5:
        victims.append(Q(document_key=document_blind_index(value)))
    if victims:
        condition |= _among("pk", Victim.objects.filter(reduce(or_, victims)).values("case_id"))
    return condition


def _obligation_model():
    """The screening app's obligations, reached through the reverse relation: `cases` never imports a higher app."""
    return Case._meta.get_field("obligations").related_model


def case_list_with_due_items(cases: QuerySet[Case], *, now: datetime) -> QuerySet[Case]:
    """Annotate each case with its soonest open due item (`next_due_at`, `next_due_code`) and how many open items are
    past their deadline at `now` (`overdue_items`).

    Correlated subqueries, one row each through the obligations' case index: the page costs the same queries however
    many cases it shows, and the paginator's count leaves them out.
    """
    obligation = _obligation_model()
    open_items = obligation.objects.filter(case_id=OuterRef("pk"), status=obligation.Status.OPEN)
    soonest = open_items.order_by(F("due_at").asc(nulls_last=True), "code")
    overdue = open_items.filter(due_at__lt=now).order_by().values("case_id").annotate(n=Count("pk")).values("n")
    return cases.annotate(
        next_due_at=Subquery(soonest.values("due_at")[:1]),
        next_due_code=Subquery(soonest.values("code")[:1]),
        overdue_items=Coalesce(Subquery(overdue), 0),
    )


def case_overdue_condition(*, now: datetime) -> Q:
    """Cases with an open due item past its deadline at `now`, as a list of case ids the planner reads first."""
    obligation = _obligation_model()
    overdue = obligation.objects.filter(status=obligation.Status.OPEN, due_at__lt=now).values("case_id")
    return _among("pk", overdue)


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_get_for_user(*, user: User, case_id: UUID | str, for_change: bool = False) -> Case:
    """Return one case the user may read (or change); raise Http404 for missing and forbidden alike.

    For a change, a closed case the user could otherwise change raises CaseIsClosed.
    """
    queryset = case_list_editable_by(user=user, include_closed=True) if for_change else case_list_visible_to(user=user)
    try:
        case = queryset.select_related("unit", "created_by", "assigned_officer").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed id: as unknown
        raise Http404 from exc
    return refuse_closed_case(case) if for_change else case


def victims_with_country_names(victims: QuerySet[Victim]) -> QuerySet[Victim]:
    """Annotate the names of each victim's country of citizenship (ky, ru, en), so pages name it without a query."""
    country = Country.objects.filter(code=OuterRef("citizenship"))
    return victims.annotate(
        citizenship_in_ky=Subquery(country.values("name")[:1]),
        citizenship_in_ru=Subquery(country.values("name_ru")[:1]),
        citizenship_in_en=Subquery(country.values("name_en")[:1]),
    )


@logs_denial("victim", "victim_id", model="cases.Victim")
def victim_get_for_user(*, user: User, victim_id: UUID | str, for_change: bool = False) -> Victim:
    """Return a victim of a case the user may read (or change); Http404 otherwise and to roles without personal data."""
    _refuse_roles_without_personal_data(user)
    cases = case_list_editable_by(user=user, include_closed=True) if for_change else case_list_visible_to(user=user)
    try:
        victim = victims_with_country_names(Victim.objects.select_related("case", "case__unit")).get(
            pk=victim_id, case__in=cases
        )
    except (Victim.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed id: as unknown
        raise Http404 from exc
    if for_change:
        refuse_closed_case(victim.case)
    return victim


@logs_denial("attachment", "attachment_id", model="cases.Attachment")
def attachment_get_for_user(*, user: User, attachment_id: UUID | str) -> Attachment:
    """Return one attachment of a case the user may read; Http404 otherwise, and to roles without personal data.

    Files are personal data: passport scans, explanations. A removed file is kept for the audit: only superusers may
    still open it.
    """
    _refuse_roles_without_personal_data(user)
    attachments = Attachment.objects.all() if user.is_superuser else Attachment.objects.filter(removed_at__isnull=True)
    try:
        return attachments.select_related("case").get(pk=attachment_id, case__in=case_list_visible_to(user=user))
    except (Attachment.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed id: as unknown
        raise Http404 from exc


def _record_for_change(queryset: QuerySet, *, user: User, pk: UUID | str, case_path: str = "case"):
    """One suspect, site, file or representative of a case the user may change; Http404 otherwise and to roles
    without personal data (analysts and NGO staff never correct records); CaseIsClosed for a closed case."""
    _refuse_roles_without_personal_data(user)
    cases = case_list_editable_by(user=user, include_closed=True)
    try:
        record = queryset.select_related(case_path).get(pk=pk, **{f"{case_path}__in": cases})
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed id: as unknown
        raise Http404 from exc
    refuse_closed_case(_attribute_path(record, case_path))
    return record


def _attribute_path(record, path: str):
    for name in path.split("__"):
        record = getattr(record, name)
    return record


@logs_denial("suspect", "suspect_id", model="cases.Suspect")
def suspect_get_for_change(*, user: User, suspect_id: UUID | str) -> Suspect:
    """Return a suspect to correct or remove; Http404 as for its case, and to analysts and NGO staff."""
    return _record_for_change(Suspect.objects.all(), user=user, pk=suspect_id)


@logs_denial("exploitationsite", "site_id", model="cases.ExploitationSite")
def exploitation_site_get_for_change(*, user: User, site_id: UUID | str) -> ExploitationSite:
    """Return an exploitation site to correct or remove; Http404 as for its case, and to analysts and NGO staff."""
    return _record_for_change(ExploitationSite.objects.all(), user=user, pk=site_id)


@logs_denial("attachment", "attachment_id", model="cases.Attachment")
def attachment_get_for_removal(*, user: User, attachment_id: UUID | str) -> Attachment:
    """Return a file still on the case, to remove it; Http404 as for its case, and to analysts and NGO staff."""
    files = Attachment.objects.filter(removed_at__isnull=True)
    return _record_for_change(files, user=user, pk=attachment_id)


@logs_denial("legalrepresentative", "representative_id", model="cases.LegalRepresentative", case_path="victim__case_id")
def legal_representative_get_for_reader(*, reader: Reader, representative_id: UUID | str) -> LegalRepresentative:
    """Return a legal representative to correct or remove, and log the read (a name, a phone, an address): Http404 as
    for the child's case, and to analysts and NGO staff."""
    queryset = LegalRepresentative.objects.select_related("victim__case")
    representative = _record_for_change(queryset, user=reader.user, pk=representative_id, case_path="victim__case")
    services.personal_data_read_record(
        reader=reader,
        case=representative.victim.case,
        record=representative,
        action=PersonalDataAccess.Action.EDIT_FORM,
    )
    return representative


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_get_for_status_change(*, user: User, case_id: UUID | str) -> Case:
    """Return a case to close or reopen: a case the user could change, closed or not; Http404 otherwise and to roles
    that do not work cases."""
    if not user_does_case_work(user=user):
        raise Http404
    try:
        return case_list_editable_by(user=user, include_closed=True).select_related("unit").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed id: as unknown
        raise Http404 from exc


def user_can_reopen_case(*, user: User, case: Case) -> bool:
    """Whether the user may reopen this case: it is closed, and they work cases they could otherwise change."""
    if case.status != Case.Status.CLOSED or not user_does_case_work(user=user):
        return False
    return case_list_editable_by(user=user, include_closed=True).filter(pk=case.pk).exists()


def case_closing_of(*, case: Case):
    """The history record that closed a closed case (when, who, and the reason in its change reason); None otherwise."""
    if case.status != Case.Status.CLOSED:
        return None
    closings = case.history.filter(status=Case.Status.CLOSED).select_related("history_user")
    return closings.order_by("-history_date", "-history_id").first()


def user_can_change_case(*, user: User, case: Case) -> bool:
    return case_list_editable_by(user=user).filter(pk=case.pk).exists()


def user_does_case_work(*, user: User) -> bool:
    """Whether the user's role screens cases, records the officer's steps and marks due items done (CASE_WORK_ROLES)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_role(*CASE_WORK_ROLES)


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_get_for_case_work(*, user: User, case_id: UUID | str) -> Case:
    """Return a case the user may change, to record its steps or due items; Http404 also to roles that do not work
    cases (the 1899 desk, International Cooperation, analysts, NGO staff), whatever was granted to them."""
    if not user_does_case_work(user=user):
        raise Http404
    return case_get_for_user(user=user, case_id=case_id, for_change=True)


def user_can_see_personal_data(*, user: User) -> bool:
    """Analysts and NGO staff never see victims' personal data in case pages."""
    if user.is_superuser:
        return True
    return not user.has_role(*NO_PERSONAL_DATA_ROLES)


def _refuse_roles_without_personal_data(user: User) -> None:
    """Answer 404, as for a foreign case, to a role that never sees personal data, whatever was granted to it."""
    if not user.is_authenticated or not user_can_see_personal_data(user=user):
        raise Http404


HISTORY_LIMIT = 100


def case_history(*, case: Case, limit: int = HISTORY_LIMIT) -> list:
    """Return the newest history records of a case and everything in it, newest first (the caller has checked access).

    Each record carries `previous_record`, the record of the same row before it (None for the first), fetched for all
    records at once so that showing what each change changed costs no query per record.
    """
    victim_ids = Victim.history.filter(case_id=case.pk).values("id")
    sources = [
        case.history.all(),
        *(
            model.history.filter(case_id=case.pk)  # type: ignore[attr-defined]
            for model in (Victim, Suspect, ExploitationSite, Attachment, OfficerStep)
        ),
        LegalRepresentative.history.filter(victim_id__in=victim_ids),  # type: ignore[attr-defined]
        # Obligations (deadlines moved with the incident time, items done) and screenings belong to the screening
        # app, a higher one: reached through the reverse relations, not imported.
        case.obligations.model.history.filter(case_id=case.pk),
        case.screenings.model.history.filter(case_id=case.pk),
    ]
    records = [record for source in sources for record in _newest_with_previous_id(source, limit)]
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    records = records[:limit]
    _attach_previous_records(records)
    return records


def _newest_with_previous_id(history: QuerySet, limit: int) -> list:
    """The newest `limit` records of a history queryset, each annotated with the id of the record before it."""
    previous = (
        history.model.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return list(
        history.select_related("history_user")
        .annotate(previous_history_id=Subquery(previous))
        .order_by("-history_date", "-history_id")[:limit]
    )


def _attach_previous_records(records: list) -> None:
    """Set `previous_record` on each record: from the records at hand, the others in one query per history model."""
    known = {(type(r), r.history_id): r for r in records}
    missing: dict[type, set[int]] = {}
    for record in records:
        key = (type(record), record.previous_history_id)
        if record.previous_history_id is not None and key not in known:
            missing.setdefault(type(record), set()).add(record.previous_history_id)
    for history_model, ids in missing.items():
        known.update({(history_model, r.history_id): r for r in history_model.objects.filter(history_id__in=ids)})
    for record in records:
        record.previous_record = known.get((type(record), record.previous_history_id))


# ---------------------------------------------------------------------------
# Duplicate search before a new victim is saved
# ---------------------------------------------------------------------------
# Names at least this similar (pg_trgm similarity of the name keys) are possible matches.
NAME_SIMILARITY_THRESHOLD = 0.45
# People born the same day are possible matches at a lower bar: a misspelt short name falls below the first one.
SAME_DAY_NAME_SIMILARITY_THRESHOLD = 0.3
# Most similar names taken as candidates, before the ones the user may see are ranked and cut to the panel's size.
SIMILAR_NAME_CANDIDATES = 50
SAME_IDENTIFIER_CANDIDATES = 200
# Distinct name keys (names.phonetic_key) taken as the same name misspelt, and how far below the best one they may be.
NAME_SPELLINGS = 20
NAME_SPELLING_MARGIN = 0.15
# Every person of those keys is a candidate (a name is shared by hundreds at a million persons), up to this many.
SAME_NAME_CANDIDATES = 5000


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
    """Find victims that may be the same person: same name in any spelling, same date of birth, phone or document.

    Candidates come from `possible_duplicate_ids`. The ones in cases the user may see are ranked (how many of document,
    phone and date of birth match, then the same name in another spelling, then how similar the name is) and the best
    `limit` listed, each with the reasons it matched; the others are only counted.
    """
    key, phonetic = name_key(*names), phonetic_key(*names)
    phone_digits, document = _blind_indexes(phone, document_number)
    matched_ids = possible_duplicate_ids(
        names=names, date_of_birth=date_of_birth, phone=phone, document_number=document_number, exclude_id=exclude_id
    )
    if not matched_ids:
        return DuplicateCandidates(visible=[], hidden_count=0)
    visible_cases = case_list_visible_to(user=user)
    candidates = list(
        Victim.objects.filter(pk__in=matched_ids, case__in=visible_cases).select_related("case", "case__unit")
    )
    for victim in candidates:
        # Say why each one matched instead of showing more of their personal data.
        victim.same_name = bool(phonetic) and victim.name_phonetic == phonetic
        victim.name_similarity = 1.0 if victim.same_name else (trigram_similarity(key, victim.name_key) if key else 0.0)
        victim.match_reasons = [
            reason
            for reason, matched in (
                ("document", bool(document) and victim.document_key == document),
                ("phone", bool(phone_digits) and victim.phone_key == phone_digits),
                ("date_of_birth", date_of_birth is not None and victim.date_of_birth == date_of_birth),
                ("name", victim.name_similarity >= SAME_DAY_NAME_SIMILARITY_THRESHOLD),
            )
            if matched
        ]
    candidates.sort(key=_duplicate_rank)
    # Every match is either in a case the user may see (fetched above) or not: no `NOT IN (every visible case)` query.
    hidden_count = len(matched_ids) - len(candidates)
    return DuplicateCandidates(visible=candidates[:limit], hidden_count=hidden_count)


def possible_duplicate_ids(
    *,
    names: tuple[str, ...],
    date_of_birth: date | None = None,
    phone: str = "",
    document_number: str = "",
    exclude_id: UUID | None = None,
) -> set:
    """The ids of every person who may be the one described, whoever may see them (callers scope the result).

    - the same phone or document number (compared by their blind indexes: both are encrypted);
    - the same name in any usual spelling, or a misspelling of it: the nearest distinct name keys (`phonetic_key`)
      are found first, then every person of those keys, so a name shared by hundreds of people is never cut to a
      top-N; with a date of birth, every such person born within a year of it (or of unknown birth date) and a few
      born at other times;
    - a less similar name of someone born that very day.
    """
    phonetic, key = phonetic_key(*names), name_key(*names)
    phone_digits, document = _blind_indexes(phone, document_number)
    base = Victim.objects.exclude(pk=exclude_id) if exclude_id else Victim.objects.all()
    identifiers = []
    if phone_digits:
        identifiers.append(Q(phone_key=phone_digits))
    if document:
        identifiers.append(Q(document_key=document))
    matched_ids: set = set()
    if identifiers:
        same = base.filter(reduce(or_, identifiers)).order_by().values_list("pk", flat=True)
        matched_ids |= set(same[:SAME_IDENTIFIER_CANDIDATES])
    if phonetic:
        matched_ids |= _same_name_ids(base, phonetic, date_of_birth)
    if key and date_of_birth:
        matched_ids |= _similar_name_ids_born_on(base, key, date_of_birth)
    return matched_ids


def _blind_indexes(phone: str, document_number: str) -> tuple[str, str]:
    """The keyed hashes the phone and document number are stored under; empty when too short to mean anything."""
    phone_digits = phone_blind_index(phone) if len(digits_key(phone)) >= 6 else ""
    document = document_blind_index(document_number) if len(document_key(document_number)) >= 5 else ""
    return phone_digits, document


def _duplicate_rank(victim: Victim) -> tuple:
    """Most identifiers matching first (document, phone, date of birth), then the same name, then the most similar."""
    identifiers = sum(reason != "name" for reason in victim.match_reasons)
    return (-identifiers, -victim.name_similarity, victim.created_at, str(victim.pk))


def name_spellings(phonetic: str) -> list[tuple[str, float]]:
    """The distinct name keys nearest to `phonetic`, most similar first, with their trigram similarity.

    Keys at least NAME_SIMILARITY_THRESHOLD similar and within NAME_SPELLING_MARGIN of the best one: a typo's nearest
    key is its own name, and the names a letter or two away from that are other people's.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The % operator is what the GiST index serves; its threshold is set for this connection.
            cursor.execute("SELECT set_limit(%s)", [NAME_SIMILARITY_THRESHOLD])
            cursor.execute(
                "SELECT key, similarity(key, %s) FROM cases_victim_name_spelling WHERE key %% %s"
                " ORDER BY key <-> %s LIMIT %s",
                [phonetic, phonetic, phonetic, NAME_SPELLINGS],
            )
            found = [(row[0], float(row[1])) for row in cursor.fetchall()]
    else:
        # SQLite: no list of keys; narrow by a word prefix in the database and compare the way pg_trgm does.
        prefixes = Q(pk__in=[])
        for token in phonetic.split():
            prefixes |= Q(name_phonetic__contains=token[:3])
        keys = Victim.objects.filter(prefixes).order_by().values_list("name_phonetic", flat=True).distinct()[:5000]
        found = [(other, trigram_similarity(phonetic, other)) for other in keys if other]
        found = [item for item in found if item[1] >= NAME_SIMILARITY_THRESHOLD]
        found.sort(key=lambda item: (-item[1], item[0]))
        found = found[:NAME_SPELLINGS]
    if not found:
        return []
    best = found[0][1]
    return [(other, similarity) for other, similarity in found if similarity >= best - NAME_SPELLING_MARGIN]


def _same_name_ids(base: QuerySet[Victim], phonetic: str, born: date | None) -> set:
    """Every person of the nearest name keys (served by the index on name key and date of birth)."""
    keys = [other for other, _ in name_spellings(phonetic)]
    if not keys:
        return set()
    same = base.filter(name_phonetic__in=keys).order_by()
    if not born:
        return set(same.values_list("pk", flat=True)[:SAME_NAME_CANDIDATES])
    # Blocking on name and year of birth: everyone of the name born within a year of it, or of unknown birth date, and
    # a few namesakes born at other times (a date of birth may be typed wrong).
    window = Q(date_of_birth__range=(date(born.year - 1, 1, 1), date(born.year + 1, 12, 31)))
    in_window = same.filter(window | Q(date_of_birth__isnull=True)).values_list("pk", flat=True)
    others = same.exclude(window).values_list("pk", flat=True)
    return set(in_window[:SAME_NAME_CANDIDATES]) | set(others[:SIMILAR_NAME_CANDIDATES])


def _similar_name_ids_born_on(base: QuerySet[Victim], key: str, born: date) -> set:
    """Names at least SAME_DAY_NAME_SIMILARITY_THRESHOLD similar of people born that day (the date is indexed)."""
    same_day = base.filter(date_of_birth=born)
    if connection.vendor == "postgresql":
        return set(
            same_day.annotate(similarity=TrigramSimilarity("name_key", key))
            .filter(similarity__gte=SAME_DAY_NAME_SIMILARITY_THRESHOLD)
            .order_by("-similarity")
            .values_list("pk", flat=True)[:SIMILAR_NAME_CANDIDATES]
        )
    return _most_similar(same_day.values_list("pk", "name_key")[:2000], key, SAME_DAY_NAME_SIMILARITY_THRESHOLD)


def _most_similar(rows, key: str, threshold: float) -> set:
    scored = [(trigram_similarity(key, other), pk) for pk, other in rows if other]
    scored = [(similarity, pk) for similarity, pk in scored if similarity >= threshold]
    scored.sort(key=lambda item: -item[0])
    return {pk for _, pk in scored[:SIMILAR_NAME_CANDIDATES]}


# ---------------------------------------------------------------------------
# Personal data on case pages: the rule of ARCHITECTURE §3 lives here, not in the views
# ---------------------------------------------------------------------------
@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_get_with_personal_data(*, reader: Reader, case_id: UUID | str, action: str, for_change: bool = False) -> Case:
    """Return a case for a page made to show or change personal data (its circumstances, its people); log the read.

    Http404 for missing and forbidden alike, and to analysts and NGO staff even when the case was granted to them.
    """
    _refuse_roles_without_personal_data(reader.user)
    case = case_get_for_user(user=reader.user, case_id=case_id, for_change=for_change)
    services.personal_data_read_record(reader=reader, case=case, record=case, action=action)
    return case


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_get_for_screening(*, reader: Reader, case_id: UUID | str, action: str) -> Case:
    """Return a case for the screening wizard (it shows the person's data): as case_get_with_personal_data for a change,
    and Http404 also to roles that do not work cases."""
    if not user_does_case_work(user=reader.user):
        raise Http404
    return case_get_with_personal_data(reader=reader, case_id=case_id, action=action, for_change=True)


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_get_for_adding_people(*, user: User, case_id: UUID | str) -> Case:
    """Return a case the user may change, for the new-person form; Http404 also to roles without personal data."""
    _refuse_roles_without_personal_data(user)
    return case_get_for_user(user=user, case_id=case_id, for_change=True)


def case_page_personal_data(*, reader: Reader, case: Case) -> tuple[list[Victim] | list["VictimOutline"], str]:
    """Return what the case page shows of the case's people (in full, or in outline for roles without personal data)
    and its circumstances; log one read when it shows anything in full (the people's initials and ages, the
    circumstances, the suspects, the files' names), however much of it there is."""
    victims = _case_victims(user=reader.user, case=case)
    if not user_can_see_personal_data(user=reader.user):
        return victims, ""
    services.personal_data_read_record(reader=reader, case=case, record=case, action=PersonalDataAccess.Action.VIEW)
    return victims, case.summary


@logs_denial("victim", "victim_id", model="cases.Victim")
def victim_get_for_reader(
    *, reader: Reader, victim_id: UUID | str, action: str = PersonalDataAccess.Action.VIEW, for_change: bool = False
) -> Victim:
    """Return a victim for a page that shows their personal data, and log the read; Http404 as victim_get_for_user."""
    victim = victim_get_for_user(user=reader.user, victim_id=victim_id, for_change=for_change)
    services.personal_data_read_record(reader=reader, case=victim.case, record=victim, action=action)
    return victim


@logs_denial("attachment", "attachment_id", model="cases.Attachment")
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
    citizenship_name: str

    def get_sex_display(self) -> str:
        return self.sex_label


def case_victims_for(*, reader: Reader, case: Case, purpose: str = "") -> list[Victim] | list[VictimOutline]:
    """Return the victims of a case the reader may read: in full (the read logged, when there is anyone), or only in
    outline for roles without personal data (nothing logged)."""
    victims = _case_victims(user=reader.user, case=case)
    if victims and isinstance(victims[0], Victim):
        services.personal_data_read_record(
            reader=reader, case=case, record=case, action=PersonalDataAccess.Action.VIEW, purpose=purpose
        )
    return victims


def _case_victims(*, user: User, case: Case) -> list[Victim] | list[VictimOutline]:
    """The victims of a case in full, or in outline for roles without personal data (the callers log the read)."""
    victims = list(victims_with_country_names(case.victims.select_related("case")))
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
            citizenship_name=victim.citizenship_name,
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
    condition = _probe_condition(phone=phone, document_number=document_number, name=name)
    return (
        PersonalDataAccess.objects.filter(condition)
        .select_related("user", "api_key", "organisation", "unit", "case")
        .order_by("-at")
    )


def _probe_condition(*, phone: str = "", document_number: str = "", name: str = "") -> Q:
    """The duplicate checks whose keys hash like the given phone, document number or name; none when none is given."""
    condition = Q(pk__in=[])
    for field, hashed in (
        ("phone_hash", keyed_hash("phone", phone_probe_key(phone))),
        ("document_hash", keyed_hash("document", document_probe_key(document_number))),
        ("name_hash", keyed_hash("name", name_key(name))),
    ):
        if hashed:
            condition |= Q(**{field: hashed})
    return condition & Q(action=PersonalDataAccess.Action.DUPLICATE_CHECK)


# ---------------------------------------------------------------------------
# The access log as heads of department audit it
# ---------------------------------------------------------------------------
def user_can_audit_access_log(*, user: User) -> bool:
    """Heads of department audit the access log of their units; superusers the whole of it."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.unit_id is not None and user.has_role(*ACCESS_LOG_AUDIT_ROLES))


def access_log_visible_to(*, user: User) -> QuerySet[PersonalDataAccess]:
    """Return the access-log rows a head may audit: reads by anyone of their unit tree, and any read of its cases."""
    if not user_can_audit_access_log(user=user):
        return PersonalDataAccess.objects.none()
    if user.is_superuser:
        return PersonalDataAccess.objects.all()
    units = list(Unit.objects.filter(path__startswith=user.unit.path).values_list("pk", flat=True))
    return PersonalDataAccess.objects.filter(Q(unit_id__in=units) | Q(case__unit_id__in=units))


def access_log_search(
    *, user: User, phone: str = "", document_number: str = "", name: str = ""
) -> QuerySet[PersonalDataAccess]:
    """Return the rows the head may audit, newest first; with a phone, document number or name, only the duplicate
    checks that searched it (hashed the way the check hashed it, so any spelling of the number finds them)."""
    rows = access_log_visible_to(user=user)
    if phone or document_number or name:
        rows = rows.filter(_probe_condition(phone=phone, document_number=document_number, name=name))
    return rows.select_related("user", "api_key", "organisation", "unit", "case").order_by("-at", "-pk")


def user_can_audit_case_access_log(*, user: User, case: Case) -> bool:
    """Heads of department audit a case's log when the case lies in their unit tree; superusers any case's."""
    if not user_can_audit_access_log(user=user):
        return False
    return user.is_superuser or case.unit.path.startswith(user.unit.path)


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_access_log_for(*, user: User, case_id: UUID | str) -> tuple[Case, QuerySet[PersonalDataAccess]]:
    """Return a case and its access-log rows, newest first: who read its personal data, when, why and from where, and
    who was refused it. For the heads of the case's unit tree and superusers; Http404 for anyone else (and for a
    missing case). The rows hold no personal data; reading them is not a read of the case's."""
    case = Case.objects.select_related("unit").filter(pk=case_id).first() if _is_uuid(case_id) else None
    if case is None or not user_can_audit_case_access_log(user=user, case=case):
        raise Http404
    rows = PersonalDataAccess.objects.filter(case=case).select_related("user", "api_key", "organisation", "unit")
    return case, rows.order_by("-at", "-pk")


def _is_uuid(value: UUID | str) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True
