"""What a recipient may know of a referral: the one function every page, API answer, webhook and e-mail to a
recipient is built from (ARCHITECTURE §5).

A category of the victim's data goes to an organisation only when both its data-sharing agreement and the victim's
standing consent cover it; a child's consent counts only when given by a legal representative who may act (not a
suspect in the case), or by the child-protection body when no representative may act. Police units receive everything
(no consent is needed for information to reach the police, DOMAIN §9).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cases.models import LegalRepresentative

from .models import CATEGORIES, Category, Consent, Referral


def consent_counts(consent: Consent, *, child: bool, representatives: list) -> bool:
    """Whether a standing consent was given by someone who may decide for this person."""
    if consent.withdrawn_at is not None or consent.decision != Consent.Decision.GIVEN:
        return False
    if not child:
        return consent.given_by == Consent.GivenBy.VICTIM
    if consent.given_by == Consent.GivenBy.LEGAL_REPRESENTATIVE:
        return any(r.pk == consent.representative_id and r.may_act for r in representatives)
    if consent.given_by == Consent.GivenBy.CHILD_PROTECTION_BODY:
        return not any(r.may_act for r in representatives)
    return False


def consented_categories(victim, recipient) -> frozenset[str]:
    """The categories of one person's data the person (or who decides for them) let one recipient have."""
    if victim is None:
        return frozenset()
    representatives = list(victim.legal_representatives.all())
    child = victim.is_child
    standing = Consent.objects.filter(victim=victim, recipient=recipient, withdrawn_at__isnull=True)
    return frozenset(c.category for c in standing if consent_counts(c, child=child, representatives=representatives))


def shared_categories(referral: Referral) -> frozenset[str]:
    """The categories a referral's recipient may receive: agreement ∩ consent; everything for a police unit."""
    recipient = referral.recipient
    if recipient.is_internal:
        return frozenset(CATEGORIES)
    allowed = frozenset(recipient.agreement_categories or ()) & frozenset(CATEGORIES)
    return allowed & consented_categories(referral.victim, recipient)


def shared_categories_of(referrals: list[Referral]) -> dict:
    """`shared_categories` of several referrals (the case page lists them) in two queries, whatever their number."""
    victim_ids = {r.victim_id for r in referrals if r.victim_id is not None and not r.recipient.is_internal}
    representatives: dict = {}
    for representative in LegalRepresentative.objects.filter(victim_id__in=victim_ids):
        representatives.setdefault(representative.victim_id, []).append(representative)
    standing: dict = {}
    for consent in Consent.objects.filter(victim_id__in=victim_ids, withdrawn_at__isnull=True):
        standing.setdefault((consent.victim_id, consent.recipient_id), []).append(consent)
    shared = {}
    for referral in referrals:
        recipient = referral.recipient
        if recipient.is_internal:
            shared[referral.pk] = frozenset(CATEGORIES)
            continue
        if referral.victim_id is None:
            shared[referral.pk] = frozenset()
            continue
        allowed = frozenset(recipient.agreement_categories or ()) & frozenset(CATEGORIES)
        child, reps = referral.victim.is_child, representatives.get(referral.victim_id, [])
        consented = {
            c.category
            for c in standing.get((referral.victim_id, recipient.pk), [])
            if consent_counts(c, child=child, representatives=reps)
        }
        shared[referral.pk] = allowed & frozenset(consented)
    return shared


def referral_payload(referral: Referral) -> dict[str, Any]:
    """Everything a recipient is shown of a referral, reduced to the categories it may receive.

    Always present: the referral's own record (ids, state, dates, services asked for, the police unit and officer
    who send it, whether the person is a child, the recipient's own reference and service updates). Each category is
    present only when shared; `withheld` names the ones left out, so the recipient knows what to ask consent for.
    """
    case = referral.case
    victim = referral.victim
    shared = shared_categories(referral)
    officer = case.assigned_officer or case.created_by
    payload: dict[str, Any] = {
        "id": str(referral.pk),
        "status": referral.status,
        "case_number": case.number,
        "unit": case.unit.display_name,
        "officer": {"name": officer.get_full_name(), "position": officer.position, "rank": officer.rank},
        "recipient": referral.recipient.display_name,
        "services": list(referral.services),
        "child": victim.is_child if victim is not None else None,
        "due_at": _iso(referral.due_at),
        "sent_at": _iso(referral.sent_at),
        "answered_at": _iso(referral.answered_at),
        "closed_at": _iso(referral.closed_at),
        "updated_at": _iso(referral.updated_at),
        "reason": referral.reason,
        "external_ref": referral.external_ref,
        "updates": [
            {"service": u.service, "note": u.note, "given_on": u.given_on.isoformat()} for u in referral.updates.all()
        ],
        "shared": sorted(shared),
        "withheld": [c for c in CATEGORIES if c not in shared],
    }
    for category in CATEGORIES:
        if category in shared:
            payload[category] = _SECTIONS[category](referral)
    return payload


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _identity(referral: Referral) -> dict[str, Any]:
    victim = referral.victim
    if victim is None:
        return {}
    section = {
        "last_name": victim.last_name,
        "first_name": victim.first_name,
        "patronymic": victim.patronymic,
        "last_name_latin": victim.last_name_latin,
        "first_name_latin": victim.first_name_latin,
        "sex": victim.sex,
        "date_of_birth": victim.date_of_birth.isoformat() if victim.date_of_birth else None,
        "approximate_age": victim.approximate_age,
        "citizenship": victim.citizenship,
        "id_document_type": victim.id_document_type,
        "id_document_number": victim.id_document_number,
    }
    section["legal_representatives"] = [
        {"full_name": r.full_name, "relation": r.relation, "may_act": r.may_act}
        for r in victim.legal_representatives.all()
    ]
    return section


def _contacts(referral: Referral) -> dict[str, Any]:
    victim = referral.victim
    if victim is None:
        return {}
    return {
        "phone": victim.phone,
        "other_contacts": victim.other_contacts,
        "legal_representatives": [
            {"full_name": r.full_name, "phone": r.phone} for r in victim.legal_representatives.all() if r.may_act
        ],
    }


def _whereabouts(referral: Referral) -> dict[str, Any]:
    victim = referral.victim
    if victim is None:
        return {}
    return {
        "residence_address": victim.residence_address,
        "temporary_residence_address": victim.temporary_residence_address,
        "legal_representatives": [
            {"full_name": r.full_name, "address": r.address} for r in victim.legal_representatives.all() if r.may_act
        ],
    }


def _health(referral: Referral) -> dict[str, Any]:
    screening = referral.case.screenings.order_by("-created_at").first()
    sexual_violence = bool(screening and screening.child and screening.sexual_violence)
    incident_at = referral.case.incident_at
    return {
        "health_needs": referral.health_needs,
        "sexual_violence": sexual_violence,
        # Prevention of STIs, HIV and pregnancy works within 72 hours of the assault (DOMAIN §9).
        "prevention_window_ends_at": _iso(incident_at + timedelta(hours=72))
        if sexual_violence and incident_at
        else None,
    }


def _case_facts(referral: Referral) -> dict[str, Any]:
    case = referral.case
    screening = case.screenings.order_by("-created_at").first()
    return {
        "message": referral.message,
        "incident_at": _iso(case.incident_at),
        "incident_place": case.incident_place,
        "circumstances": case.summary,
        "articles": list(screening.articles) if screening else [],
        "purposes": list(screening.facts.get("purposes", [])) if screening else [],
    }


_SECTIONS = {
    Category.IDENTITY: _identity,
    Category.CONTACTS: _contacts,
    Category.WHEREABOUTS: _whereabouts,
    Category.HEALTH: _health,
    Category.CASE_FACTS: _case_facts,
}
