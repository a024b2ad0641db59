"""Every change of a referral, a consent or a 1899 call: one function per use case, each in one transaction with its
history and its outbox rows (ARCHITECTURE §5). A browser click and an API call run the same function.

The callers have checked access through referrals.selectors; these functions check the state and the rules.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm

from accounts.history import set_history
from accounts.models import Organisation, Unit, User
from accounts.roles import Role
from accounts.services import on_commit, outbox_notify_users, users_with_role
from accounts.validators import validate_no_hidden_characters
from cases.models import Case, LegalRepresentative, Victim
from cases.permissions import VIEW_CASE
from cases.reasons import explained, required_reason
from cases.services import case_create, lock_open_case
from screening.models import Obligation
from screening.obligations import route_of, take_up_item
from screening.services import obligation_add, obligation_complete

from .models import (
    CATEGORIES,
    Consent,
    HotlineCall,
    Recipient,
    Referral,
    RightsSheet,
    Service,
    ServiceUpdate,
    WebhookEvent,
    serving,
)
from .webhooks import webhook_emit

logger = logging.getLogger(__name__)

Status = Referral.Status

# From which states each transition may start, and where it leads.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "send": (frozenset({Status.DRAFT}), Status.SENT),
    "accept": (frozenset({Status.SENT}), Status.ACCEPTED),
    "decline": (frozenset({Status.SENT}), Status.DECLINED),
    "start_service": (frozenset({Status.ACCEPTED}), Status.IN_SERVICE),
    "close": (frozenset({Status.ACCEPTED, Status.IN_SERVICE}), Status.CLOSED),
    "withdraw": (frozenset({Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_SERVICE}), Status.WITHDRAWN),
    "reopen_withdrawn": (frozenset({Status.WITHDRAWN}), Status.DRAFT),
    "reopen_closed": (frozenset({Status.CLOSED}), Status.IN_SERVICE),
}
# States in which the referral is still the recipient's business.
ACTIVE = frozenset({Status.SENT, Status.ACCEPTED, Status.IN_SERVICE})

# The role of the people who act for a police unit that receives referrals.
ROLE_OF_INTERNAL_KIND = {
    Recipient.Kind.DUTY_UNIT: Role.DUTY_OFFICER,
    Recipient.Kind.KIB: Role.KIB_OFFICER,
    Recipient.Kind.INTL_COOPERATION: Role.INTL_COOPERATION,
    Recipient.Kind.HOTLINE_DESK: Role.HOTLINE_OPERATOR,
}
# Which kinds of the directory a route's `refer_to` may be served by.
KINDS_OF_ROUTE = {
    "ngo": (Recipient.Kind.NGO, Recipient.Kind.CRISIS_CENTRE),
    "social_protection": (Recipient.Kind.SOCIAL_PROTECTION,),
    "child_protection": (Recipient.Kind.CHILD_PROTECTION,),
}
# The services a referral drafted by a route asks for.
SERVICES_OF_ROUTE = {
    "ngo": [Service.SHELTER, Service.PSYCHOLOGICAL, Service.LEGAL],
    "social_protection": [Service.SOCIAL, Service.PSYCHOLOGICAL, Service.CHILD_CARE],
    "child_protection": [Service.CHILD_CARE, Service.SHELTER],
}


class TransitionRefused(ValidationError):
    """The referral is not in a state this change starts from (another person changed it first)."""


# ---------------------------------------------------------------------------------------------------------------------
# Who hears of a referral
# ---------------------------------------------------------------------------------------------------------------------
def recipient_people(recipient: Recipient) -> QuerySet[User]:
    """The people who act for a recipient: an organisation's staff, or the unit's people of the matching role."""
    if recipient.organisation_id:
        return User.objects.filter(
            organisation_id=recipient.organisation_id, is_active=True, groups__name=Role.NGO_STAFF
        ).distinct()
    return users_with_role(unit_id=recipient.unit_id, role=ROLE_OF_INTERNAL_KIND[recipient.kind])


def case_officer(case: Case) -> User:
    return case.assigned_officer or case.created_by


def _tell_recipient(referral: Referral, kind: str, actor: User | None) -> None:
    link = reverse("referrals:inbox_detail", args=[referral.pk])
    # The case number is what the recipient's inbox shows of the case too; never the person's data.
    params = {
        "referral_id": str(referral.pk),
        "case_number": referral.case.number,
        "recipient": referral.recipient.display_name,
    }
    outbox_notify_users(
        recipients=recipient_people(referral.recipient), kind=kind, params=params, link=link, skip=actor
    )


def _tell_case_officer(referral: Referral, kind: str, actor: User | None) -> None:
    case = referral.case
    params = {
        "referral_id": str(referral.pk),
        "case_number": case.number,
        "case_id": str(case.pk),
        "recipient": referral.recipient.display_name,
    }
    link = reverse("cases:detail", args=[case.pk])
    outbox_notify_users(recipients=[case_officer(case)], kind=kind, params=params, link=link, skip=actor)


# ---------------------------------------------------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------------------------------------------------
def referral_create(
    *,
    case: Case,
    recipient: Recipient,
    actor: User,
    victim: Victim | None = None,
    services: Iterable[str] = (),
    message: str = "",
    health_needs: str = "",
    due_at: datetime | None = None,
    rule: str = "",
    obligation: Obligation | None = None,
) -> Referral:
    """Draft a referral of a case (and one of its people) to a recipient of the directory."""
    if victim is not None and victim.case_id != case.pk:
        raise ValueError("the person is not in this case")
    if not recipient.active:
        raise ValidationError({"recipient": _("This recipient no longer takes referrals.")})
    services = list(dict.fromkeys(services))
    if unknown := set(services) - set(Service.values):
        raise ValidationError({"services": _("Unknown service: {codes}.").format(codes=", ".join(sorted(unknown)))})
    with transaction.atomic():
        lock_open_case(case.pk)
        referral = Referral(
            case=case, victim=victim, recipient=recipient, services=services, message=message.strip(),
            health_needs=health_needs.strip(), due_at=due_at, rule=rule, obligation=obligation, created_by=actor,
        )  # fmt: skip
        referral.full_clean()
        set_history(referral, actor=actor, reason=f"drafted{': ' + rule if rule else ''}")
        referral.save()
    return referral


def _transition(
    referral: Referral,
    transition: str,
    *,
    actor: User | None,
    reason: str = "",
    stamp: str = "",
    history_reason: str = "",
) -> Referral:
    """Move a locked copy of the referral from an allowed state to the next; the caller holds a transaction."""
    starts, target = TRANSITIONS[transition]
    _lock_case_of(referral)
    current = Referral.objects.select_for_update().select_related("recipient", "case").get(pk=referral.pk)
    if current.status not in starts:
        raise TransitionRefused(
            _("This referral is “{status}” now: it cannot be changed that way. Reload the page.").format(
                status=current.get_status_display()
            )
        )
    current.status = target
    current.version += 1
    if reason:
        current.reason = reason
    if stamp:
        setattr(current, stamp, timezone.now())
    set_history(current, actor=actor, reason=history_reason or transition)
    current.save()
    return current


def _lock_case_of(referral: Referral) -> None:
    """Lock the referral's case row first, as every change of a case's records does (cases.services.lock_open_case):
    one order of locks for the police's and the recipient's changes, so that they wait for each other instead of
    deadlocking. The recipient may still answer on a closed case: its services go on."""
    Case.objects.select_for_update().filter(pk=referral.case_id).values_list("pk", flat=True).first()


def referral_send(*, referral: Referral, actor: User) -> Referral:
    """Send a draft to its recipient: its people are told; the due item it fulfils is done."""
    with transaction.atomic():
        lock_open_case(referral.case_id)
        referral = _transition(referral, "send", actor=actor, stamp="sent_at")
        _tell_recipient(referral, "referral_received", actor)
        webhook_emit(referral=referral, event_type=WebhookEvent.REFERRAL_CREATED, change="sent")
        if referral.obligation_id:
            obligation = Obligation.objects.get(pk=referral.obligation_id)
            if obligation.status == Obligation.Status.OPEN:
                note = str(_("Referral sent: {recipient}")).format(recipient=referral.recipient.display_name)
                obligation_complete(obligation=obligation, actor=actor, note=note[:300])
    return referral


def referral_accept(*, referral: Referral, actor: User | None, organisation: Organisation | None = None) -> Referral:
    """The recipient takes the person on; the case officer is told."""
    with transaction.atomic():
        referral = _transition(
            referral, "accept", actor=actor, stamp="answered_at", history_reason=_by("accepted", organisation)
        )
        _tell_case_officer(referral, "referral_accepted", actor)
        webhook_emit(referral=referral, event_type=WebhookEvent.REFERRAL_UPDATED, change="accepted")
    return referral


def referral_decline(
    *, referral: Referral, actor: User | None, reason: str, organisation: Organisation | None = None
) -> Referral:
    """The recipient cannot take the person on, and says why; the case officer is told, to refer elsewhere."""
    reason = required_reason(reason)
    with transaction.atomic():
        referral = _transition(
            referral, "decline", actor=actor, reason=reason, stamp="answered_at",
            history_reason=_by(explained("declined", reason), organisation),
        )  # fmt: skip
        _tell_case_officer(referral, "referral_declined", actor)
        webhook_emit(referral=referral, event_type=WebhookEvent.REFERRAL_UPDATED, change="declined")
    return referral


def referral_record_service(
    *,
    referral: Referral,
    actor: User | None,
    service: str = "",
    note: str = "",
    given_on=None,
    close: bool = False,
    organisation: Organisation | None = None,
) -> ServiceUpdate | None:
    """The recipient records a service given (an accepted referral is then in service), and may close it."""
    note = (note or "").strip()
    if service and service not in Service.values:
        raise ValidationError({"service": _("Unknown service.")})
    if not service and not note and not close:
        raise ValidationError({"service": _("Choose the service given, or write a note.")})
    validate_no_hidden_characters(note)
    with transaction.atomic():
        _lock_case_of(referral)
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        update = None
        if service or note:
            if current.status == Status.ACCEPTED:
                current = _transition(
                    current, "start_service", actor=actor, history_reason=_by("in service", organisation)
                )
            elif current.status != Status.IN_SERVICE:
                raise TransitionRefused(_("Services are recorded on an accepted referral."))
            update = ServiceUpdate(
                referral=current, service=service, note=note, given_on=given_on or timezone.localdate(),
                recorded_by=actor, recorded_via_api=actor is None,
            )  # fmt: skip
            update.full_clean()
            update.save()
            set_history(current, actor=actor, reason=_by(f"service recorded: {service or 'note'}", organisation))
            current.save(update_fields=["updated_at"])
        if close:
            current = _transition(
                current, "close", actor=actor, stamp="closed_at", history_reason=_by("closed", organisation)
            )
        _tell_case_officer(current, "referral_closed" if close else "referral_service", actor)
        change = "closed" if close else "service_recorded"
        webhook_emit(referral=current, event_type=WebhookEvent.REFERRAL_UPDATED, change=change)
    return update


def referral_set_external_ref(
    *, referral: Referral, external_ref: str, actor: User | None = None, organisation: Organisation | None = None
) -> Referral:
    """The recipient stores its own reference for the referral (its system's record id), to find it by later; in any
    state the recipient sees. Kept in the history; no person is told (it is the recipient's own bookkeeping), but the
    organisation's endpoints get `referral.updated` (change "external_ref"), for its systems to map it."""
    external_ref = (external_ref or "").strip()
    try:
        external_ref = Referral._meta.get_field("external_ref").clean(external_ref, referral)
    except ValidationError as exc:
        raise ValidationError({"external_ref": exc.messages}) from exc
    with transaction.atomic():
        _lock_case_of(referral)
        current = Referral.objects.select_for_update().get(pk=referral.pk)
        if current.external_ref == external_ref:
            return current
        current.external_ref = external_ref
        set_history(current, actor=actor, reason=_by("external reference set", organisation))
        current.save(update_fields=["external_ref", "updated_at"])
        webhook_emit(referral=current, event_type=WebhookEvent.REFERRAL_UPDATED, change="external_ref")
    return current


def referral_withdraw(*, referral: Referral, actor: User, reason: str) -> Referral:
    """The police take a referral back (the person refused the service, or moved); the recipient is told."""
    reason = required_reason(reason)
    with transaction.atomic():
        lock_open_case(referral.case_id)
        was = Referral.objects.values_list("status", flat=True).get(pk=referral.pk)
        referral = _transition(
            referral, "withdraw", actor=actor, reason=reason, history_reason=explained("withdrawn", reason)
        )
        if was != Status.DRAFT:  # a draft was never the recipient's: nothing to tell
            _tell_recipient(referral, "referral_withdrawn", actor)
            webhook_emit(referral=referral, event_type=WebhookEvent.REFERRAL_WITHDRAWN, change="withdrawn")
    return referral


def referral_reopen(*, referral: Referral, actor: User, reason: str) -> Referral:
    """Reopen a withdrawn referral (as a draft, to send again) or a closed one (services go on), with a reason."""
    reason = required_reason(reason)
    with transaction.atomic():
        lock_open_case(referral.case_id)
        was = Referral.objects.values_list("status", flat=True).get(pk=referral.pk)
        transition = "reopen_closed" if was == Status.CLOSED else "reopen_withdrawn"
        referral = _transition(
            referral, transition, actor=actor, reason=reason, history_reason=explained("reopened", reason)
        )
        if referral.status == Status.IN_SERVICE:
            referral.closed_at = None
            referral.save(update_fields=["closed_at"])
            _tell_recipient(referral, "referral_reopened", actor)
            webhook_emit(referral=referral, event_type=WebhookEvent.REFERRAL_UPDATED, change="reopened")
    return referral


def _by(reason: str, organisation: Organisation | None) -> str:
    """A history reason, naming the organisation when the change came through its API key (no user)."""
    return f"{reason} (API: organisation {organisation.pk})" if organisation is not None else reason


# ---------------------------------------------------------------------------------------------------------------------
# Consent
# ---------------------------------------------------------------------------------------------------------------------
def consent_record(
    *,
    victim: Victim,
    recipient: Recipient,
    decisions: dict[str, str],
    given_by: str,
    informed_how: str,
    actor: User,
    representative: LegalRepresentative | None = None,
    decided_at: datetime | None = None,
) -> list[Consent]:
    """Record the person's decision per category for one recipient; each replaces the standing one of its category.

    `decisions` maps categories to "given" or "refused". A child decides through a legal representative who is not a
    suspect, or through the child-protection body when no representative may act (DOMAIN §9).
    """
    if unknown := set(decisions) - set(CATEGORIES):
        raise ValidationError({"decisions": f"unknown categories: {sorted(unknown)}"})
    if not decisions:
        raise ValidationError({"decisions": _("Say for at least one kind of data whether the person agrees.")})
    if set(decisions.values()) - set(Consent.Decision.values):
        raise ValidationError({"decisions": "a decision is 'given' or 'refused'"})
    if informed_how not in Consent.Informed.values:
        raise ValidationError({"informed_how": _("Say how the person was told what is shared and with whom.")})
    if recipient.is_internal:
        raise ValidationError({"recipient": _("Information reaches the police without consent.")})
    _check_who_decides(victim, given_by=given_by, representative=representative)
    decided_at = decided_at or timezone.now()
    with transaction.atomic():
        lock_open_case(victim.case_id)
        consents = []
        for category in CATEGORIES:
            if category not in decisions:
                continue
            standing = Consent.objects.select_for_update().filter(
                victim=victim, recipient=recipient, category=category, withdrawn_at__isnull=True
            )
            for old in standing:
                _withdraw(old, actor=actor, note="replaced by a later decision", at=decided_at)
            consent = Consent(
                victim=victim, recipient=recipient, category=category, decision=decisions[category],
                given_by=given_by, representative=representative, informed_how=informed_how, recorded_by=actor,
                decided_at=decided_at,
            )  # fmt: skip
            consent.full_clean(validate_constraints=False)
            set_history(consent, actor=actor, reason="recorded")
            consent.save()
            consents.append(consent)
        _tell_active_referrals(victim, recipient, "consent_changed", actor)
    return consents


def consent_withdraw(*, consent: Consent, actor: User, note: str) -> Consent:
    """The person takes back a consent: from now on that category is not shared with that recipient."""
    note = required_reason(note)
    with transaction.atomic():
        lock_open_case(consent.victim.case_id)
        consent = Consent.objects.select_for_update().select_related("victim", "recipient").get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            return consent
        _withdraw(consent, actor=actor, note=note, at=timezone.now())
        _tell_active_referrals(consent.victim, consent.recipient, "consent_changed", actor)
    return consent


def _withdraw(consent: Consent, *, actor: User, note: str, at: datetime) -> None:
    consent.withdrawn_at = at
    consent.withdrawn_by = actor
    consent.withdrawal_note = note[:300]
    set_history(consent, actor=actor, reason=explained("withdrawn", note))
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])


def _check_who_decides(victim: Victim, *, given_by: str, representative: LegalRepresentative | None) -> None:
    representatives = list(victim.legal_representatives.all())
    if not victim.is_child:
        if given_by != Consent.GivenBy.VICTIM:
            raise ValidationError({"given_by": _("An adult decides for themselves.")})
        return
    if given_by == Consent.GivenBy.VICTIM:
        raise ValidationError({"given_by": _("A child decides through the legal representative.")})
    if given_by == Consent.GivenBy.LEGAL_REPRESENTATIVE:
        if representative is None or representative.victim_id != victim.pk:
            raise ValidationError({"representative": _("Choose the legal representative who decided.")})
        if not representative.may_act:
            raise ValidationError(
                {
                    "representative": _(
                        "This representative is a suspect in the case: the child-protection body decides."
                    )
                }
            )
    elif any(r.may_act for r in representatives):
        raise ValidationError(
            {"given_by": _("The child has a legal representative who may act: the representative decides.")}
        )


def _tell_active_referrals(victim: Victim, recipient: Recipient, kind: str, actor: User) -> None:
    for referral in Referral.objects.filter(victim=victim, recipient=recipient, status__in=ACTIVE).select_related(
        "recipient", "case"
    ):
        _tell_recipient(referral, kind, actor)
        webhook_emit(referral=referral, event_type=WebhookEvent.REFERRAL_UPDATED, change="consent_changed")


# ---------------------------------------------------------------------------------------------------------------------
# Routing: referrals drafted for the due items a screening adds (receiver of screening.signals.obligations_added)
# ---------------------------------------------------------------------------------------------------------------------
def recipient_for_route(refer_to: str, *, unit: Unit) -> Recipient | None:
    """The active recipient of the route's kind that serves the unit's region (else the whole country), if any."""
    kinds = KINDS_OF_ROUTE.get(refer_to, ())
    if not kinds:
        return None
    candidates = Recipient.objects.filter(kind__in=kinds, active=True, organisation__active=True).filter(serving(unit))
    # Nearest region first (a deeper unit in the path), nationwide last; then the kind's order in the route.
    return min(
        candidates.select_related("organisation", "region"),
        key=lambda r: (-(r.region.depth if r.region_id else -1), kinds.index(r.kind), r.organisation.name),
        default=None,
    )


def referrals_for_new_obligations(*, case: Case, screening, obligations: list[Obligation], actor: User, **_) -> None:
    """Draft the referral each new due item's route asks for, to the nearest recipient of the directory."""
    victim = getattr(screening, "victim", None)
    for obligation in obligations:
        refer_to = route_of(obligation.code).refer_to
        if not refer_to:
            continue
        recipient = recipient_for_route(refer_to, unit=case.unit)
        if recipient is None:
            continue  # none in the directory: the due item stays, and the officer chooses a recipient by hand
        referral_create(
            case=case, recipient=recipient, actor=actor, victim=victim, services=SERVICES_OF_ROUTE[refer_to],
            due_at=obligation.due_at, rule=obligation.code, obligation=obligation,
        )  # fmt: skip


def internal_recipients_ensure(*, intl_unit: Unit | None = None, hotline_unit: Unit | None = None) -> list[Recipient]:
    """Put the police units that receive referrals in the directory: the duty unit and the КИБ of every district
    department, International Cooperation and the 1899 desk in the units named. Idempotent; returns those created."""
    wanted = [(unit, kind) for unit in Unit.objects.filter(kind=Unit.Kind.DISTRICT) for kind in ("duty_unit", "kib")]
    if intl_unit is not None:
        wanted.append((intl_unit, Recipient.Kind.INTL_COOPERATION))
    if hotline_unit is not None:
        wanted.append((hotline_unit, Recipient.Kind.HOTLINE_DESK))
    created = []
    for unit, kind in wanted:
        recipient, was_created = Recipient.objects.get_or_create(
            unit=unit, kind=kind, defaults={"agreement_categories": list(CATEGORIES)}
        )
        if was_created:
            created.append(recipient)
    return created


# ---------------------------------------------------------------------------------------------------------------------
# The head's decision on International Cooperation (DOMAIN §7.9)
# ---------------------------------------------------------------------------------------------------------------------
def intl_cooperation_decide(*, obligation: Obligation, actor: User, inform: bool, note: str) -> Referral | None:
    """The head decides: inform the Directorate (it gets a referral and access to the case) or not, with a note."""
    if obligation.code != "intl_cooperation_decision":
        raise ValueError("not the decision on International Cooperation")
    note = required_reason(note)
    with transaction.atomic():
        # The case, then the item, locked: of two heads deciding at once, the second finds it decided (no second
        # referral, no second grant).
        lock_open_case(obligation.case_id)
        obligation = (
            Obligation.objects.select_for_update(of=("self",)).select_related("case", "screening").get(pk=obligation.pk)
        )
        if obligation.status != Obligation.Status.OPEN:
            raise ValidationError(_("The decision on International Cooperation is recorded already. Reload the page."))
        case = obligation.case
        referral = None
        if inform:
            recipient = Recipient.objects.filter(kind=Recipient.Kind.INTL_COOPERATION, active=True).first()
            if recipient is None:
                raise ValidationError(
                    _("The directory has no International Cooperation Directorate: ask an administrator.")
                )
            victim = obligation.screening.victim if obligation.screening else None
            referral = referral_create(
                case=case, recipient=recipient, actor=actor, victim=victim, services=[Service.INVESTIGATION],
                message=note, rule=obligation.code,
            )  # fmt: skip
            group, _created = Group.objects.get_or_create(name=Role.INTL_COOPERATION)
            assign_perm(VIEW_CASE, group, case)
            set_history(case, actor=actor, reason="access granted to International Cooperation")
            case.save(update_fields=["updated_at"])
            referral = referral_send(referral=referral, actor=actor)
        prefix = _("Inform International Cooperation") if inform else _("No need to inform International Cooperation")
        obligation_complete(obligation=obligation, actor=actor, note=f"{prefix}: {note}"[:300])
    return referral


# ---------------------------------------------------------------------------------------------------------------------
# The 1899 hotline desk
# ---------------------------------------------------------------------------------------------------------------------
def hotline_call_record(*, operator: User, data: dict) -> HotlineCall:
    """Record a 1899 call and pass it to the district's duty unit as an incoming report, with a due item to take it
    up (at once, within the hour, or within the normal hours: project policy) and a notice to its duty officers."""
    district = data["district"]
    if district.kind != Unit.Kind.DISTRICT:
        raise ValidationError({"district": _("Choose a district department.")})
    with transaction.atomic():
        call = HotlineCall(operator=operator, **data)
        call.full_clean(exclude=["case"])
        case = case_create(
            actor=operator,
            unit=district,
            assign_creator=False,
            data={
                "source": Case.Source.HOTLINE_1899,
                "received_at": call.received_at,
                "incident_place": call.place,
                "summary": call.summary,
            },
        )
        call.case = case
        set_history(call, actor=operator, reason="call recorded")
        call.save()
        item = take_up_item(call.received_at, call.urgency, getattr(settings, "OBLIGATION_POLICY_HOURS", None))
        obligation_add(case=case, item=item, actor=operator)
    return call


def hotline_call_close(*, call: HotlineCall, actor: User) -> HotlineCall:
    """The desk closes the call once it told the caller (or had nothing to tell)."""
    with transaction.atomic():
        call = HotlineCall.objects.select_for_update().get(pk=call.pk)
        if call.closed_at is None:
            call.closed_at = timezone.now()
            set_history(call, actor=actor, reason="call closed")
            call.save(update_fields=["closed_at"])
    return call


# ---------------------------------------------------------------------------------------------------------------------
# The rights and contacts sheet (DOMAIN §7 step 3, §9 "Information")
# ---------------------------------------------------------------------------------------------------------------------
def rights_sheet_request(*, case: Case, language: str, actor: User) -> RightsSheet:
    """Ask for a sheet in Kyrgyz or Russian: the row now, the PDF by a Celery task once the row is committed (at once
    where tasks run eagerly). Handing it over is the officer's step `hand_rights_sheet`, recorded on the case page."""
    if language not in RightsSheet.Language.values:
        raise ValidationError({"language": _("Choose Kyrgyz or Russian.")})
    with transaction.atomic():
        lock_open_case(case.pk)
        sheet = RightsSheet.objects.create(case=case, language=language, created_by=actor)
        sheet_id = str(sheet.pk)
        on_commit(lambda: _queue_rights_sheet(sheet_id))
    return sheet


def _queue_rights_sheet(sheet_id: str) -> None:
    from .tasks import rights_sheet_render  # the task module imports this one

    try:
        rights_sheet_render.delay(sheet_id)
    except Exception as exc:  # no broker: say so on the page instead of waiting for ever
        logger.warning("rights sheet %s not queued (%s)", sheet_id, type(exc).__name__)
        RightsSheet.objects.filter(pk=sheet_id, status=RightsSheet.Status.PENDING).update(
            status=RightsSheet.Status.FAILED
        )


def rights_sheet_render(*, sheet_id) -> RightsSheet:
    """Render a sheet's PDF and keep it with its SHA-256 (idempotent: a ready sheet is left as it is)."""
    from .rights_sheet import render_sheet

    sheet = RightsSheet.objects.select_related("case__unit", "created_by").get(pk=sheet_id)
    if sheet.status == RightsSheet.Status.READY:
        return sheet
    try:
        pdf, pages = render_sheet(sheet.case, language=sheet.language, officer=sheet.created_by)
    except Exception as exc:
        logger.error("rights sheet %s not rendered (%s)", sheet.pk, type(exc).__name__)
        RightsSheet.objects.filter(pk=sheet.pk).update(status=RightsSheet.Status.FAILED)
        raise
    if pages != 1:
        logger.warning("rights sheet %s has %d pages", sheet.pk, pages)
    with transaction.atomic():
        current = RightsSheet.objects.select_for_update().get(pk=sheet.pk)
        if current.status == RightsSheet.Status.READY:  # another worker was first
            return current
        current.file.save(f"{current.pk}.pdf", ContentFile(pdf), save=False)
        current.sha256 = hashlib.sha256(pdf).hexdigest()
        current.status = RightsSheet.Status.READY
        current.rendered_at = timezone.now()
        current.save(update_fields=["file", "sha256", "status", "rendered_at"])
    return current
