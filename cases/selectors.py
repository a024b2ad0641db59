"""Permission-filtered reads. Every view starts here; a case that is missing or not the user's answers 404."""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramDistance, TrigramSimilarity
from django.db import connection
from django.db.models import F, Lookup, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import Unit, User
from accounts.roles import NO_PERSONAL_DATA_ROLES, UNIT_CASE_ROLES, Role

from .models import (
    Attachment,
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    ExploitationSite,
    LegalRepresentative,
    OfficerStep,
    Suspect,
    Victim,
)
from .names import digits_key, document_key, name_key, trigram_similarity
from .permissions import CHANGE_CASE, VIEW_CASE


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


def case_list_editable_by(*, user: User) -> QuerySet[Case]:
    """Return the cases the user may change: by unit and role, plus per-case change grants."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    return Case.objects.filter(_role_scope(user) | _granted_cases(user, CHANGE_CASE))


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
    phone = digits_key(value)
    if len(phone) >= 6:
        victims.append(Q(phone_key__endswith=phone))
    document = document_key(value)
    if len(document) >= 5:
        victims.append(Q(document_key=document))
    if victims:
        condition |= _among("pk", Victim.objects.filter(reduce(or_, victims)).values("case_id"))
    return condition


def case_get_for_user(*, user: User, case_id: UUID | str, for_change: bool = False) -> Case:
    """Return one case the user may read (or change); raise Http404 for missing and forbidden alike."""
    queryset = case_list_editable_by(user=user) if for_change else case_list_visible_to(user=user)
    try:
        return queryset.select_related("unit", "created_by", "assigned_officer").get(pk=case_id)
    except (Case.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def victim_get_for_user(*, user: User, victim_id: UUID | str, for_change: bool = False) -> Victim:
    """Return one victim whose case the user may read (or change); Http404 otherwise."""
    cases = case_list_editable_by(user=user) if for_change else case_list_visible_to(user=user)
    try:
        return Victim.objects.select_related("case", "case__unit").get(pk=victim_id, case__in=cases)
    except (Victim.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def attachment_get_for_user(*, user: User, attachment_id: UUID | str) -> Attachment:
    """Return one attachment of a case the user may read; Http404 otherwise."""
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


@dataclass(frozen=True)
class DuplicateCandidates:
    """Likely matches the user may open, and how many more exist in cases the user cannot see."""

    visible: list[Victim]
    hidden_count: int


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
    """Find victims that may be the same person: similar name in any script, same date of birth, phone or document.

    Candidates: the same phone or document number, a similar name, or a less similar name born the same day. The ones
    in cases the user may see are ranked (how many of document, phone and date of birth match, then how similar the
    name is) and the best `limit` listed; the others are only counted.
    """
    key = name_key(*names)
    phone_digits = digits_key(phone)
    document = document_key(document_number)
    base = Victim.objects.exclude(pk=exclude_id) if exclude_id else Victim.objects.all()
    identifiers = []
    if len(phone_digits) >= 6:
        identifiers.append(Q(phone_key=phone_digits))
    if len(document) >= 5:
        identifiers.append(Q(document_key=document))
    matched_ids: set = set()
    if identifiers:
        same = base.filter(reduce(or_, identifiers)).order_by().values_list("pk", flat=True)
        matched_ids |= set(same[:SAME_IDENTIFIER_CANDIDATES])
    if key:
        matched_ids |= _similar_name_ids(base, key)
        if date_of_birth:
            matched_ids |= _similar_name_ids_born_on(base, key, date_of_birth)
    if not matched_ids:
        return DuplicateCandidates(visible=[], hidden_count=0)
    visible_cases = case_list_visible_to(user=user)
    candidates = list(
        Victim.objects.filter(pk__in=matched_ids, case__in=visible_cases).select_related("case", "case__unit")
    )
    for victim in candidates:
        # Say why each one matched instead of showing more of their personal data.
        victim.name_similarity = trigram_similarity(key, victim.name_key) if key else 0.0
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


def _duplicate_rank(victim: Victim) -> tuple:
    """Most identifiers matching first (document, phone, date of birth), then the most similar name, then the oldest."""
    identifiers = sum(reason != "name" for reason in victim.match_reasons)
    return (-identifiers, -victim.name_similarity, victim.created_at, str(victim.pk))


def _similar_name_ids(base: QuerySet[Victim], key: str) -> set:
    """The most similar names (at least NAME_SIMILARITY_THRESHOLD)."""
    if connection.vendor == "postgresql":
        # The % operator (trigram_similar) is what the GIN index serves; its threshold is set for this connection.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_limit(%s)", [NAME_SIMILARITY_THRESHOLD])
        # Nearest first by trigram distance (1 - similarity): the GiST index returns them in that order, so a name
        # shared by thousands is not scored in full to keep fifty.
        return set(
            base.filter(name_key__trigram_similar=key)
            .annotate(distance=TrigramDistance("name_key", key))
            .order_by("distance")
            .values_list("pk", flat=True)[:SIMILAR_NAME_CANDIDATES]
        )
    # SQLite fallback: narrow by a token prefix in the database, then compare in Python the way pg_trgm does.
    prefixes = Q(pk__in=[])
    for token in key.split():
        prefixes |= Q(name_key__contains=token[:3])
    return _most_similar(base.filter(prefixes).values_list("pk", "name_key")[:2000], key, NAME_SIMILARITY_THRESHOLD)


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
