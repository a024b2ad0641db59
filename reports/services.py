"""Every change to a rapport: start, edit, submit, return, approve, register. Atomic, with history and notices.

Locks are taken case first, then the rapport, as every change of a case does (cases.services.lock_open_case): two
heads approving at once wait for each other, and the second finds the rapport approved already and is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.history import set_history
from accounts.models import User
from accounts.roles import Role
from accounts.services import outbox_notify_users, users_with_role
from cases.models import Case, OfficerStep, Sex, Victim
from cases.reasons import required_reason
from cases.selectors import victims_with_country_names
from cases.services import StaleEditError, _save_versioned, case_update, lock_open_case, officer_step_record
from screening import indicators as indicator_lists
from screening.models import Obligation, Screening
from screening.obligations import STEP_OF_OBLIGATION
from screening.qualification import LABELS
from screening.services import obligation_complete

from .models import RAPPORT_ITEMS, Rapport, RapportItem
from .selectors import heads_above, user_heads_unit_of

__all__ = [
    "RapportRefused",
    "StaleEditError",
    "rapport_approve",
    "rapport_refresh_qualification",
    "rapport_register",
    "rapport_return",
    "rapport_start",
    "rapport_submit",
    "rapport_update",
]

# The due items a registered rapport completes (DOMAIN §7.7, §7.10).
RAPPORT_OBLIGATIONS = tuple(code for code, step in STEP_OF_OBLIGATION.items() if step == OfficerStep.Code.WRITE_RAPPORT)
EDITABLE_FIELDS = (
    "language",
    "addressee",
    *(name for code in RAPPORT_ITEMS for name in (code, f"{code}_unknown")),
)


class RapportRefused(ValidationError):
    """The rapport is not in a state this change starts from, or the actor may not make it (another head came first)."""


# ---------------------------------------------------------------------------
# Starting
# ---------------------------------------------------------------------------
def _default_addressee(case: Case, *, actor: User) -> User | None:
    """The head of the case's own unit when there is exactly one (and it is not the author), else nobody."""
    heads = list(users_with_role(unit_id=case.unit_id, role=Role.SUPERVISOR)[:2])
    if len(heads) == 1 and heads[0].pk != actor.pk:
        return heads[0]
    return None


# ---------------------------------------------------------------------------
# Prefilling from the case
# ---------------------------------------------------------------------------
def _latest_screening(case: Case) -> Screening | None:
    return case.screenings.order_by("-created_at").first()


def _lines(*pairs: tuple[str, Any]) -> str:
    """`label: value` lines of the values that are given."""
    return "\n".join(f"{label}: {value}" for label, value in pairs if value not in (None, ""))


def _circumstances_text(case: Case) -> str:
    incident_at = timezone.localtime(case.incident_at).strftime("%d.%m.%Y %H:%M") if case.incident_at else ""
    head = _lines(
        (gettext("Date and time of the incident"), incident_at), (gettext("Place of the incident"), case.incident_place)
    )
    return "\n\n".join(part for part in (head, case.summary.strip()) if part)


def _offenders_text(case: Case) -> str:
    blocks = []
    for number, suspect in enumerate(case.suspects.order_by("created_at"), start=1):
        meta = suspect._meta
        blocks.append(
            _lines(
                (f"{number}. {meta.get_field('full_name').verbose_name}", suspect.full_name or "—"),
                (meta.get_field("nickname").verbose_name, suspect.nickname),
                (meta.get_field("sex").verbose_name, suspect.get_sex_display() if suspect.sex != Sex.UNKNOWN else ""),
                (meta.get_field("age").verbose_name, suspect.age),
                (meta.get_field("appearance").verbose_name, suspect.appearance),
                (meta.get_field("identifying_data").verbose_name, suspect.identifying_data),
                (meta.get_field("possible_locations").verbose_name, suspect.possible_locations),
                (meta.get_field("armed").verbose_name, suspect.get_armed_display()),
            )
        )
    return "\n\n".join(blocks)


def _sites_text(case: Case) -> str:
    blocks = []
    for number, site in enumerate(case.sites.order_by("created_at"), start=1):
        meta = site._meta
        blocks.append(
            _lines(
                (f"{number}. {meta.get_field('location').verbose_name}", site.location),
                (meta.get_field("description").verbose_name, site.description),
                (meta.get_field("other_victims").verbose_name, site.get_other_victims_display()),
                (meta.get_field("other_victims_notes").verbose_name, site.other_victims_notes),
            )
        )
    return "\n\n".join(blocks)


def _identity_text(case: Case) -> str:
    """Name, date of birth, citizenship and identity document type of each victim (personal data)."""
    blocks = []
    victims = victims_with_country_names(Victim.objects.filter(case=case).select_related("case"))
    for number, victim in enumerate(victims.order_by("created_at"), start=1):
        meta = victim._meta
        blocks.append(
            _lines(
                (f"{number}. {gettext('Name')}", victim.full_name or "—"),
                (
                    meta.get_field("date_of_birth").verbose_name,
                    victim.date_of_birth and f"{victim.date_of_birth:%d.%m.%Y}",
                ),
                (meta.get_field("citizenship").verbose_name, victim.citizenship_name),
                (meta.get_field("id_document_type").verbose_name, victim.id_document_type),
                (meta.get_field("identity_established_by").verbose_name, victim.get_identity_established_by_display()),
            )
        )
    return "\n\n".join(blocks)


def _indicators_text(screening: Screening | None, language: str) -> str:
    """The latest screening's assessment against the indicators (DOMAIN §8 item 6): when, its verdict, the indicators
    and the vulnerability found. The qualification's explanation has its own section of the rapport, not repeated."""
    if screening is None:
        return ""
    labels = {**indicator_lists.ADULT_INDICATORS, **indicator_lists.CHILD_INDICATORS}
    found = [str(labels.get(code, code)) for code in screening.indicators]
    vulnerable = [str(indicator_lists.ALL_VULNERABILITY.get(code, code)) for code in screening.vulnerability]
    return _lines(
        (gettext("Screening"), f"{timezone.localtime(screening.created_at):%d.%m.%Y %H:%M}"),
        (gettext("Verdict"), LABELS.get(screening.verdict, {}).get(language, screening.verdict)),
        (gettext("Indicators"), "; ".join(found) or gettext("none found")),
        (gettext("Vulnerability"), "; ".join(vulnerable) or gettext("none found")),
    )


def _prefill(case: Case, screening: Screening | None, language: str) -> dict[str, str]:
    """The items as the case and its latest screening tell them, written in the document's language."""
    with translation.override(language):
        return {
            RapportItem.CIRCUMSTANCES: _circumstances_text(case),
            RapportItem.OFFENDERS: _offenders_text(case),
            RapportItem.SITES: _sites_text(case),
            RapportItem.IDENTITY: _identity_text(case),
            RapportItem.INDICATORS: _indicators_text(screening, language),
        }


def _qualification_of(screening: Screening | None) -> dict[str, Any]:
    """The snapshot fields of the latest screening's qualification (empty without a screening)."""
    if screening is None:
        return {"screening": None, "qualification_verdict": "", "qualification_articles": [],
                "qualification_explanation": {}}  # fmt: skip
    return {
        "screening": screening,
        "qualification_verdict": screening.verdict,
        "qualification_articles": list(screening.articles),
        "qualification_explanation": {language: screening.explanation(language) for language in Rapport.Language},
    }


# ---------------------------------------------------------------------------
# The draft
# ---------------------------------------------------------------------------
def rapport_start(*, case: Case, actor: User, language: str = Rapport.Language.KY) -> Rapport:
    """Open the case's rapport as a draft, prefilled from the case and its latest screening; the one there if any."""
    if language not in Rapport.Language.values:
        raise ValidationError({"language": _("Choose Kyrgyz or Russian.")})
    with transaction.atomic():
        case = lock_open_case(case.pk)
        existing = Rapport.objects.filter(case=case).first()
        if existing is not None:
            return existing
        case = Case.objects.select_related("unit").get(pk=case.pk)
        screening = _latest_screening(case)
        rapport = Rapport(
            case=case,
            language=language,
            officer=actor,
            unit=case.unit,
            addressee=_default_addressee(case, actor=actor),
            rapport_date=timezone.localdate(),
            **_prefill(case, screening, language),
            **_qualification_of(screening),
        )
        rapport.full_clean(validate_constraints=False)
        set_history(rapport, actor=actor, reason="started")
        try:
            with transaction.atomic():
                rapport.save()
        except IntegrityError:  # one per case: the database's to enforce
            return Rapport.objects.get(case=case)
    return rapport


def _locked(rapport: Rapport) -> Rapport:
    """Lock the case, then the rapport (the order every change takes); a closed case refuses every change."""
    lock_open_case(rapport.case_id)
    return Rapport.objects.select_for_update().select_related("case", "case__unit").get(pk=rapport.pk)


def _refuse_unless(rapport: Rapport, *statuses: str) -> None:
    if rapport.status not in statuses:
        raise RapportRefused(
            _("This rapport is “{status}” now: it cannot be changed that way. Reload the page.").format(
                status=rapport.get_status_display()
            ),
            code="wrong_status",
        )


def rapport_update(*, rapport: Rapport, actor: User, data: dict[str, Any], version: int) -> Rapport:
    """Save an edit of a draft, refreshing its qualification from the latest screening; refuse a stale form."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        current = _locked(rapport)
        _refuse_unless(current, Rapport.Status.DRAFT)
        # A stale `version` raises StaleEditError there, before anything is written.
        data = {**data, **_qualification_of(_latest_screening(current.case))}
        return _save_versioned(current, data=data, version=version, actor=actor, reason="edited")


def rapport_refresh_qualification(*, rapport: Rapport, actor: User) -> Rapport:
    """Take the latest screening's qualification into a draft (a screening saved since the draft was last saved)."""
    with transaction.atomic():
        current = _locked(rapport)
        _refuse_unless(current, Rapport.Status.DRAFT)
        return _save_versioned(
            current,
            data=_qualification_of(_latest_screening(current.case)),
            version=current.version,
            actor=actor,
            reason="qualification refreshed",
        )


def rapport_submit(*, rapport: Rapport, actor: User) -> Rapport:
    """Send a complete draft to its addressee, the head of department; the qualification is frozen from now on.

    Refused, naming what is wanting, while an item is neither filled nor marked unknown, without an addressee, or
    without a qualification (the case has not been screened).
    """
    with transaction.atomic():
        current = _locked(rapport)
        _refuse_unless(current, Rapport.Status.DRAFT)
        for name, value in _qualification_of(_latest_screening(current.case)).items():
            setattr(current, name, value)
        errors: dict[str, list] = {}
        for code in current.item_missing():
            errors[code] = [ValidationError(_("Neither written nor marked «not known»."), code="item_missing")]
        if current.addressee_id is None:
            errors["addressee"] = [ValidationError(_("Choose the head of department it is addressed to."))]
        elif current.addressee_id == actor.pk:
            errors["addressee"] = [
                ValidationError(_("Address it to another head: you cannot approve your own rapport."))
            ]
        elif not heads_above(case=current.case).filter(pk=current.addressee_id).exists():
            errors["addressee"] = [
                ValidationError(_("The addressee is no longer a head of department of this unit: choose another."))
            ]
        if not current.qualification_verdict:
            errors["__all__"] = [ValidationError(_("The case has no screening yet: screen it to qualify the crime."))]
        if errors:
            raise ValidationError(errors)
        current.status = Rapport.Status.SUBMITTED
        current.submitted_at = timezone.now()
        current.submitted_by = actor
        current.officer = actor  # who submits signs it
        current.rapport_date = timezone.localdate()
        current.returned_reason = ""
        current.version += 1
        set_history(current, actor=actor, reason="submitted")
        current.save()
        _notify(current, kind="rapport_submitted", recipients=[current.addressee], actor=actor)
    return current


# ---------------------------------------------------------------------------
# The head's decisions
# ---------------------------------------------------------------------------
def _refuse_unless_head(rapport: Rapport, actor: User) -> None:
    if not user_heads_unit_of(user=actor, case=rapport.case):
        raise RapportRefused(_("Only a head of department of the case's unit may do this."), code="not_head")


def rapport_return(*, rapport: Rapport, actor: User, reason: str) -> Rapport:
    """Send a submitted (or approved, not yet registered) rapport back to draft, with the head's reason."""
    reason = required_reason(reason)
    with transaction.atomic():
        current = _locked(rapport)
        _refuse_unless(current, Rapport.Status.SUBMITTED, Rapport.Status.APPROVED)
        _refuse_unless_head(current, actor)
        current.status = Rapport.Status.DRAFT
        current.returned_reason = reason
        current.submitted_at = current.submitted_by = None
        current.approved_at = current.approved_by = None
        current.version += 1
        set_history(current, actor=actor, reason=f"returned: {reason}")
        current.save()
        _notify(current, kind="rapport_returned", recipients=[current.officer], actor=actor)
    return current


def rapport_approve(*, rapport: Rapport, actor: User) -> Rapport:
    """Approve a submitted rapport: a head of department of the case's unit or above, not its own author."""
    with transaction.atomic():
        current = _locked(rapport)
        _refuse_unless(current, Rapport.Status.SUBMITTED)
        _refuse_unless_head(current, actor)
        if current.submitted_by_id == actor.pk:
            raise RapportRefused(_("You submitted this rapport: another head must approve it."), code="own_rapport")
        current.status = Rapport.Status.APPROVED
        current.approved_at = timezone.now()
        current.approved_by = actor
        current.version += 1
        set_history(current, actor=actor, reason="approved")
        current.save()
        _notify(current, kind="rapport_approved", recipients=[current.officer], actor=actor)
    return current


def rapport_register(*, rapport: Rapport, actor: User, kbr_number: str, kbr_registered_at: date) -> Rapport:
    """Enter the КБР number and date of an approved rapport, on the rapport and on the case; record the officer's step
    and complete the due items of the rapport (DOMAIN §7.7, §7.10)."""
    kbr_number = (kbr_number or "").strip()
    with transaction.atomic():
        current = _locked(rapport)
        _refuse_unless(current, Rapport.Status.APPROVED)
        _refuse_unless_head(current, actor)
        if not kbr_number:
            raise ValidationError({"kbr_number": _("Enter the КБР registration number.")})
        if kbr_registered_at is None:
            raise ValidationError({"kbr_registered_at": _("Enter the КБР registration date.")})
        if kbr_registered_at < current.rapport_date:
            raise ValidationError(
                {"kbr_registered_at": _("The registration date cannot be before the rapport's date ({date}).").format(
                    date=f"{current.rapport_date:%d.%m.%Y}"
                )}
            )  # fmt: skip
        current.status = Rapport.Status.REGISTERED
        current.kbr_number = kbr_number
        current.kbr_registered_at = kbr_registered_at
        current.registered_by = actor
        current.version += 1
        current.full_clean(validate_constraints=False)
        set_history(current, actor=actor, reason="registered")
        current.save()
        _register_case(current, actor=actor)
        _notify(current, kind="rapport_registered", recipients=[current.officer], actor=actor)
    return current


def _register_case(rapport: Rapport, *, actor: User) -> None:
    """Copy the КБР registration to the case, record the step and complete the rapport's due items."""
    case = Case.objects.select_for_update().get(pk=rapport.case_id)
    data: dict[str, Any] = {"kbr_number": rapport.kbr_number, "kbr_registered_at": rapport.kbr_registered_at}
    if case.status in (Case.Status.NEW, Case.Status.CHECK):
        data["status"] = Case.Status.REGISTERED
    case_update(case=case, actor=actor, data=data, version=case.version)
    note = gettext("КБР № {number}").format(number=rapport.kbr_number)[:300]
    due = Obligation.objects.filter(
        case_id=rapport.case_id, code__in=RAPPORT_OBLIGATIONS, status=Obligation.Status.OPEN
    )
    for obligation in due.order_by("pk"):
        obligation_complete(obligation=obligation, actor=actor, note=note)
    officer_step_record(case=case, actor=actor, code=OfficerStep.Code.WRITE_RAPPORT, note=note)


def _notify(rapport: Rapport, *, kind: str, recipients, actor: User) -> None:
    """Tell people of a change, through the outbox in the change's transaction: the case number, never its content."""
    params = {"case_number": rapport.case.number, "case_id": str(rapport.case_id)}
    link = reverse("reports:rapport", args=[rapport.case_id])
    outbox_notify_users(
        recipients=[r for r in recipients if r is not None and r.is_active], kind=kind, params=params, link=link,
        skip=actor,
    )  # fmt: skip
