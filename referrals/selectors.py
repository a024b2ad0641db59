"""Permission-filtered reads of referrals, consents, recipients and 1899 calls; a foreign one answers 404.

Two sides read a referral: the police, through the case it belongs to (cases.selectors scope), and the recipient's
people (an organisation's staff, or the police unit's people of the matching role), who see only the referrals sent
to them, and of each only what `referrals.sharing.referral_payload` keeps. Reads that return a victim's personal data
to a recipient write an access-log row here, not in the views.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import Organisation, Unit, User
from accounts.readers import Reader
from accounts.roles import NO_PERSONAL_DATA_ROLES, Role
from cases import services as case_services
from cases.denials import logs_denial
from cases.models import Case, PersonalDataAccess, Victim
from cases.selectors import (
    case_get_for_case_work,
    case_list_editable_by,
    case_list_visible_to,
    user_can_see_personal_data,
    user_does_case_work,
)
from screening.models import Obligation

from .models import CATEGORIES, Consent, HotlineCall, Recipient, Referral, RightsSheet, serving
from .services import ROLE_OF_INTERNAL_KIND
from .sharing import consent_counts, referral_payload, shared_categories, shared_categories_of

# Referrals a recipient never sees: a draft is the police's own until it is sent.
HIDDEN_FROM_RECIPIENT = (Referral.Status.DRAFT,)


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "recipient__organisation", "recipient__unit", "case__unit", "case__assigned_officer", "case__created_by",
        "victim__case",
    )  # fmt: skip


# -- the police side ---------------------------------------------------------------------------------------------------
def referral_list_visible_to(*, user: User) -> QuerySet[Referral]:
    """Referrals of the cases the user may read (analysts and NGO staff read none: they see no case)."""
    if not user.is_authenticated or (user.has_role(Role.ANALYST, Role.NGO_STAFF) and not user.is_superuser):
        return Referral.objects.none()
    return _base().filter(case__in=case_list_visible_to(user=user).values("pk"))


# A referral is overdue while someone owes the next move past its due time: a draft not sent, or a sent one not
# answered. Accepted ones are not: the recipient answered, and services have no deadline (README "Referrals").
OVERDUE_STATES = (Referral.Status.DRAFT, Referral.Status.SENT)


def overdue_condition(*, now: datetime) -> Q:
    return Q(status__in=OVERDUE_STATES, due_at__lt=now)


def user_sees_referral_list(*, user: User) -> bool:
    """The police list of referrals is for those who read cases: not analysts and NGO staff (their pages are others)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or not user.has_role(*NO_PERSONAL_DATA_ROLES)


def user_sees_referral_dashboard(*, user: User) -> bool:
    """The dashboard is the heads': their unit and the units below (their case scope)."""
    return user_sees_referral_list(user=user) and (user.is_superuser or user.has_role(Role.SUPERVISOR))


def referral_list_for_police(*, user: User) -> QuerySet[Referral]:
    """The police list: referrals of the cases the user may read; Http404 to analysts and NGO staff."""
    if not user_sees_referral_list(user=user):
        raise Http404
    return referral_list_visible_to(user=user)


def referral_dashboard_counts(*, user: User, now: datetime) -> dict:
    """Counts of the referrals in a head's scope: by state, by recipient (with how many wait and are overdue), overdue.

    Http404 to anyone but heads (and superusers).
    """
    if not user_sees_referral_dashboard(user=user):
        raise Http404
    referrals = referral_list_visible_to(user=user).order_by()
    overdue = overdue_condition(now=now)
    by_state = dict(referrals.values_list("status").annotate(count=Count("pk")))
    rows = (
        referrals.values("recipient_id")
        .annotate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(status=Referral.Status.SENT)),
            active=Count("pk", filter=Q(status__in=(Referral.Status.ACCEPTED, Referral.Status.IN_SERVICE))),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("-overdue", "-total")
    )
    rows = list(rows)
    recipients = Recipient.objects.select_related("organisation", "unit").in_bulk([r["recipient_id"] for r in rows])
    for row in rows:
        row["recipient"] = recipients[row["recipient_id"]]
    return {
        "by_state": [(value, label, by_state.get(value, 0)) for value, label in Referral.Status.choices],
        "by_recipient": rows,
        "overdue": referrals.filter(overdue).count(),
        "overdue_drafts": referrals.filter(overdue, status=Referral.Status.DRAFT).count(),
        "total": sum(by_state.values()),
    }


def referrals_of_case(*, case: Case) -> list[Referral]:
    """The referrals of a case with their service updates and what each recipient may see (the caller has checked
    access to the case); a fixed number of queries however many there are."""
    referrals = list(_base().filter(case=case).prefetch_related("updates").order_by("-created_at"))
    shared = shared_categories_of(referrals)
    for referral in referrals:
        referral.shared = shared[referral.pk]
    return referrals


@logs_denial("case", "case_id", model="cases.Case", case_path="pk")
def case_get_for_referral(*, user: User, case_id: UUID | str) -> Case:
    """A case the user works and may change, to refer its person (Http404 otherwise; CaseIsClosed when closed)."""
    return case_get_for_case_work(user=user, case_id=case_id)


def organisation_directory_for(*, case: Case, everywhere: bool = False) -> QuerySet[Recipient]:
    """The organisations a case's person may be referred to by hand: those serving the case's region or the whole
    country (all regions with `everywhere`). Police units are told through due items and notices, not referred to."""
    recipients = recipient_directory().filter(organisation__isnull=False)
    if not everywhere:
        recipients = recipients.filter(serving(case.unit))
    return recipients


@logs_denial("referral", "referral_id", model="referrals.Referral")
def referral_get_for_change(*, user: User, referral_id: UUID | str) -> Referral:
    """A referral of a case the user works and may change (to send, withdraw, reopen it); else Http404."""
    if not user_does_case_work(user=user):
        raise Http404
    referral = _base().filter(pk=referral_id, case__in=case_list_editable_by(user=user).values("pk")).first()
    if referral is None:
        raise Http404
    return referral


# -- the recipient side ------------------------------------------------------------------------------------------------
def recipients_acting_for(user: User) -> QuerySet[Recipient]:
    """The directory entries a user acts for: their organisation (NGO staff), or their unit's entry of their role."""
    if not user.is_authenticated or not user.is_active:
        return Recipient.objects.none()
    condition = Q(pk__in=[])
    if user.has_role(Role.NGO_STAFF) and user.organisation_id:
        condition |= Q(organisation_id=user.organisation_id, organisation__active=True)
    kinds = [kind for kind, role in ROLE_OF_INTERNAL_KIND.items() if user.has_role(role)]
    if kinds and user.unit_id:
        condition |= Q(unit_id=user.unit_id, kind__in=kinds)
    return Recipient.objects.filter(condition)


def referral_inbox_for(*, user: User) -> QuerySet[Referral]:
    """The referrals sent to the recipients the user acts for (never drafts)."""
    return (
        _base()
        .filter(recipient__in=recipients_acting_for(user))
        .exclude(status__in=HIDDEN_FROM_RECIPIENT)
        .order_by("-updated_at")
    )


def referral_inbox_for_organisation(*, organisation: Organisation) -> QuerySet[Referral]:
    """The referrals sent to an organisation (for its API key): the same rows its staff see."""
    if not organisation.active:
        return Referral.objects.none()
    return (
        _base()
        .filter(recipient__organisation=organisation)
        .exclude(status__in=HIDDEN_FROM_RECIPIENT)
        .order_by("-updated_at")
    )


def referral_inbox_of(*, reader: Reader) -> QuerySet[Referral]:
    """The inbox of whoever calls: an organisation's API key (its organisation's referrals), or a signed-in user (the
    recipients they act for); empty for anyone else."""
    if reader.api_key is not None:
        return referral_inbox_for_organisation(organisation=reader.api_key.organisation)
    return referral_inbox_for(user=reader.user)


def _in_inbox(inbox: QuerySet[Referral], referral_id: UUID | str) -> Referral:
    try:
        referral_id = UUID(str(referral_id))
    except ValueError:  # not an id at all: as unknown as any other
        raise Http404 from None
    referral = inbox.filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


@logs_denial("referral", "referral_id", model="referrals.Referral")
def referral_get_for_recipient(*, user: User, referral_id: UUID | str) -> Referral:
    """One referral of the user's inbox, for a change (accept, decline, a service); Http404 for any other."""
    return _in_inbox(referral_inbox_for(user=user), referral_id)


@logs_denial("referral", "referral_id", model="referrals.Referral")
def referral_get_for_reader(*, reader: Reader, referral_id: UUID | str) -> Referral:
    """One referral of the inbox of a user or an API key, for a change; Http404 for any other (and for a malformed
    id): a referral sent elsewhere is not told apart from one that does not exist."""
    return _in_inbox(referral_inbox_of(reader=reader), referral_id)


@logs_denial("referral", "referral_id", model="referrals.Referral")
def referral_shown_to_recipient(*, reader: Reader, referral_id: UUID | str) -> tuple[Referral, dict]:
    """One referral of the reader's inbox (a user's or an API key's) and what they may see of it; a read of personal
    data is logged, with the key when an API key read it."""
    referral = referral_get_for_reader(reader=reader, referral_id=referral_id)
    payload = referral_payload(referral)
    log_recipient_read(referral, reader=reader)
    return referral, payload


def log_recipient_read(referral: Referral, *, reader: Reader) -> None:
    """Write the access-log row of a recipient's read, when it showed any of the victim's data."""
    if referral.victim_id is None or not shared_categories(referral):
        return
    case_services.personal_data_read_record(
        reader=reader, case=referral.case, record=referral.victim, action=PersonalDataAccess.Action.VIEW
    )


# -- consent, directory, 1899 ------------------------------------------------------------------------------------------
def consents_of(*, victim: Victim) -> QuerySet[Consent]:
    """Every consent of a person, standing and withdrawn (the caller has checked access to the person)."""
    return victim.consents.select_related("recipient__organisation", "recorded_by", "withdrawn_by", "representative")


def consent_overview_for(*, user: User, victim: Victim, representatives: list | None = None) -> dict:
    """A person's consents for the person's page, by recipient: the standing decision per category (and whether it
    counts: who gave it may decide for this person), and the withdrawn ones as history.

    Only for users who see personal data; the person's page has logged the read of the person (its selector), and this
    is part of that page. Http404 to anyone else. `representatives`: the person's, when the page has read them already.
    """
    if not user_can_see_personal_data(user=user):
        raise Http404
    child = victim.is_child
    if representatives is None:
        representatives = list(victim.legal_representatives.all()) if child else []
    standing: dict = {}
    withdrawn = []
    for consent in consents_of(victim=victim).order_by("-decided_at"):
        if consent.withdrawn_at is not None:
            withdrawn.append(consent)
            continue
        consent.counts = consent_counts(consent, child=child, representatives=representatives)
        standing.setdefault(consent.recipient_id, {"recipient": consent.recipient, "by_category": {}})
        standing[consent.recipient_id]["by_category"][consent.category] = consent
    rows = []
    for entry in standing.values():
        entry["consents"] = [entry["by_category"][c] for c in CATEGORIES if c in entry["by_category"]]
        rows.append(entry)
    rows.sort(key=lambda e: e["recipient"].display_name)
    withdrawn.sort(key=lambda c: c.withdrawn_at, reverse=True)
    return {"standing": rows, "withdrawn": withdrawn, "representatives": representatives, "child": child}


@logs_denial("consent", "consent_id", model="referrals.Consent", case_path="victim__case_id")
def consent_get_for_change(*, user: User, consent_id: UUID | str) -> Consent:
    """A standing consent of a person in a case the user works and may change; Http404 otherwise."""
    if not user_does_case_work(user=user) or not user_can_see_personal_data(user=user):
        raise Http404
    cases = case_list_editable_by(user=user).values("pk")
    consent = (
        Consent.objects.select_related("victim__case", "recipient__organisation")
        .filter(pk=consent_id, victim__case__in=cases)
        .first()
    )
    if consent is None:
        raise Http404
    return consent


def recipient_directory(*, region_id: int | None = None, kind: str = "", include_inactive: bool = False):
    """The directory (contacts of organisations and units: not personal data), optionally for one region and kind."""
    recipients = Recipient.objects.select_related("organisation", "unit", "region")
    if not include_inactive:
        recipients = recipients.filter(active=True).filter(Q(organisation__isnull=True) | Q(organisation__active=True))
    if region_id:
        recipients = recipients.filter(Q(region_id=region_id) | Q(region__isnull=True))
    if kind:
        recipients = recipients.filter(kind=kind)
    return recipients.order_by("kind", "organisation__name", "unit__path")


def consent_directory() -> QuerySet[Recipient]:
    """The organisations a person may let have their data (consent is never asked for police units)."""
    return recipient_directory().filter(organisation__isnull=False)


# The kinds of the directory whose contacts the rights sheet gives the person, in the sheet's order.
CONTACT_KINDS = (
    Recipient.Kind.CRISIS_CENTRE,
    Recipient.Kind.NGO,
    Recipient.Kind.SOCIAL_PROTECTION,
    Recipient.Kind.CHILD_PROTECTION,
    Recipient.Kind.HEALTH,
    Recipient.Kind.PSYCHOLOGIST,
)


def user_may_read_directory(*, user: User) -> bool:
    """The police and the 1899 desk read the directory; analysts and NGO staff have no use for its internal units."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.has_role(*(set(Role.values) - NO_PERSONAL_DATA_ROLES))


def directory_regions() -> QuerySet[Unit]:
    """The regions a directory entry may serve: oblast and city departments."""
    return Unit.objects.filter(kind__in=[Unit.Kind.OBLAST, Unit.Kind.CITY]).order_by("path")


def recipient_contacts_for(*, unit: Unit, per_kind: int = 2) -> list[Recipient]:
    """The active organisations of the directory that serve a unit (its oblast or city, the unit itself, or the whole
    country), for the rights sheet: by kind in CONTACT_KINDS order, nearest region first, at most `per_kind` of each
    kind so that the sheet keeps to one page."""
    candidates = list(recipient_directory().filter(kind__in=CONTACT_KINDS).filter(serving(unit)))
    candidates.sort(key=lambda r: (-(r.region.depth if r.region_id else -1), r.display_name))
    chosen: list[Recipient] = []
    for kind in CONTACT_KINDS:
        chosen += [recipient for recipient in candidates if recipient.kind == kind][:per_kind]
    return chosen


def user_is_hotline_desk(*, user: User) -> bool:
    return (
        user.is_authenticated and user.is_active and user.has_role(Role.HOTLINE_OPERATOR) and user.unit_id is not None
    )


def hotline_calls_of(*, user: User) -> QuerySet[HotlineCall]:
    """The calls of the user's desk: every operator of the same unit (the desk works in shifts)."""
    if not user_is_hotline_desk(user=user):
        return HotlineCall.objects.none()
    return HotlineCall.objects.filter(operator__unit_id=user.unit_id).select_related("district", "case", "operator")


@logs_denial("hotlinecall", "call_id", model="referrals.HotlineCall")
def hotline_call_get(*, user: User, call_id: UUID | str) -> HotlineCall:
    call = hotline_calls_of(user=user).filter(pk=call_id).first()
    if call is None:
        raise Http404
    return call


def hotline_calls_with_progress(*, user: User) -> QuerySet[HotlineCall]:
    """The desk's calls, each with its duty unit's take-up item (`take_up_items`: the claim or the item done)."""
    take_up = Obligation.objects.filter(code="take_up_report").select_related("unit")
    return hotline_calls_of(user=user).prefetch_related(
        Prefetch("case__obligations", queryset=take_up, to_attr="take_up_items")
    )


@logs_denial("hotlinecall", "call_id", model="referrals.HotlineCall")
def hotline_call_shown_to_desk(*, reader: Reader, call_id: UUID | str) -> HotlineCall:
    """One call of the reader's desk with what the operator recorded (the caller's data): the read is logged against
    the call's case."""
    call = hotline_call_get(user=reader.user, call_id=call_id)
    if call.case_id is not None:
        case_services.personal_data_read_record(
            reader=reader, case=call.case, record=call, action=PersonalDataAccess.Action.VIEW
        )
    return call


def hotline_call_callback_for(*, reader: Reader, case: Case) -> HotlineCall | None:
    """The 1899 call a case came from, for the police who work the case (the caller's name and phone only when the
    caller agreed to be called back: then the read is logged); None when there is none or the reader does not work
    cases. The caller has checked access to the case."""
    user = reader.user
    if not user_does_case_work(user=user) or not user_can_see_personal_data(user=user):
        return None
    if case.source != Case.Source.HOTLINE_1899:
        return None
    call = HotlineCall.objects.filter(case=case).first()
    if call is None:
        return None
    if call.callback_consent and (call.caller_phone or call.caller_name):
        case_services.personal_data_read_record(
            reader=reader, case=case, record=call, action=PersonalDataAccess.Action.VIEW
        )
    else:
        call.caller_name = call.caller_phone = ""  # not for the police without the caller's consent
    return call


# -- the rights and contacts sheet -------------------------------------------------------------------------------------
def _readable_sheets(user: User) -> QuerySet[RightsSheet]:
    """Sheets of the cases the user reads, for the roles that work cases (they hand the sheet over)."""
    if not user_does_case_work(user=user) or not user_can_see_personal_data(user=user):
        return RightsSheet.objects.none()
    return RightsSheet.objects.filter(case__in=case_list_visible_to(user=user).values("pk")).select_related("case")


def rights_sheets_of(*, user: User, case: Case) -> list[RightsSheet]:
    """The newest sheet of each language of a case, for its page (the caller has checked access to the case)."""
    newest: dict[str, RightsSheet] = {}
    for sheet in _readable_sheets(user).filter(case=case).order_by("-created_at"):
        newest.setdefault(sheet.language, sheet)
    return [newest[language] for language in RightsSheet.Language.values if language in newest]


@logs_denial("rightssheet", "sheet_id", model="referrals.RightsSheet")
def rights_sheet_get_for_user(*, user: User, sheet_id: UUID | str) -> RightsSheet:
    """A sheet of a case the user may read (to see whether it is ready); Http404 for any other."""
    sheet = _readable_sheets(user).filter(pk=sheet_id).first()
    if sheet is None:
        raise Http404
    return sheet


@logs_denial("rightssheet", "sheet_id", model="referrals.RightsSheet")
def rights_sheet_get_for_download(*, reader: Reader, sheet_id: UUID | str) -> RightsSheet:
    """A ready sheet to download; the download is logged. Http404 for a sheet not ready or not the reader's."""
    sheet = rights_sheet_get_for_user(user=reader.user, sheet_id=sheet_id)
    if sheet.status != RightsSheet.Status.READY:
        raise Http404
    case_services.personal_data_read_record(
        reader=reader,
        case=sheet.case,
        record=sheet,
        action=PersonalDataAccess.Action.DOWNLOAD,
        purpose=PersonalDataAccess.Purpose.PRINTING,
    )
    return sheet
