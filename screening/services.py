"""Record a screening and the obligations it creates; complete an obligation. Atomic, with history."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.history import set_history
from accounts.models import User
from accounts.services import outbox_notify_users, users_with_role
from accounts.validators import validate_no_hidden_characters
from cases.models import Case, OfficerStep, Victim
from cases.services import lock_open_case, officer_step_record, officer_step_undo
from cases.undo import refuse_undo_unless_allowed

from .models import Obligation, Screening
from .obligations import (
    ESTABLISH_ITEMS,
    INCIDENT_CLOCK,
    STEP_OF_OBLIGATION,
    DueItem,
    ScreeningContext,
    establish_items_settled,
    note_required,
    obligations_for,
    recomputed_for_incident,
    route_of,
)
from .qualification import LANGUAGES, qualify
from .signals import obligations_added


def screening_record(
    *,
    case: Case,
    actor: User,
    facts: dict[str, Any],
    victim: Victim | None = None,
    person_not_identified: bool = False,
    act_date_unknown: bool = False,
    indicators: list[str] | None = None,
    vulnerability: list[str] | None = None,
    vulnerability_kinds: list[str] | None = None,
    vulnerability_factors: list[str] | None = None,
    violence_against_women: bool = False,
    sexual_violence: bool | None = False,
    high_risk: bool = False,
    notes: str = "",
) -> Screening:
    """Qualify the facts, keep the result with its explanation in every language, and add the obligations due.

    `person_not_identified` records that the officer said so (no `victim`); `act_date_unknown` that the facts' act
    date is the day the report came in, used because the date of the act is not known.
    """
    if victim is not None and victim.case_id != case.pk:
        raise ValueError("the person is not in this case")
    if victim is not None and person_not_identified:
        raise ValueError("a screening names its person or says the person is not yet identified, not both")
    validate_no_hidden_characters(notes)  # the only free text; the wizard's form refuses it first, with a field error
    result = qualify(facts)  # raises QualificationInputError on bad facts, before anything is written
    explanations = {language: qualify(facts, language)["explanation"] for language in LANGUAGES}
    with transaction.atomic():
        # One screening of a case at a time: two saved at once must not both add the same obligation. The incident
        # time is read under the lock: an edit of it committed since the page loaded the case must count.
        lock_open_case(case.pk)  # and a closed case takes no screening, even one sent while it was being closed
        case.incident_at = Case.objects.values_list("incident_at", flat=True).get(pk=case.pk)
        screening = Screening(
            case=case,
            victim=victim,
            person_not_identified=person_not_identified,
            act_date_unknown=act_date_unknown,
            created_by=actor,
            facts=facts,
            verdict=result["verdict"],
            articles=result["articles"],
            child=result["child"],
            missing=result["missing"],
            warnings=result["warnings"],
            explanations=explanations,
            indicators=indicators or [],
            vulnerability=vulnerability or [],
            vulnerability_kinds=vulnerability_kinds or [],
            vulnerability_factors=vulnerability_factors or [],
            violence_against_women=violence_against_women,
            sexual_violence=sexual_violence,
            high_risk=high_risk,
            notes=notes,
        )
        set_history(screening, actor=actor, reason="screened")
        screening.save()
        _close_established(screening, actor=actor)
        _add_obligations(screening, victim=victim, actor=actor)
    return screening


def _context(screening: Screening, *, victim: Victim | None, incident_at) -> ScreeningContext:
    """Return the facts of a saved screening that decide its obligations, with the case's incident time."""
    return ScreeningContext(
        verdict=screening.verdict,
        child=screening.child,
        child_indicators=screening.child and bool(screening.indicators),
        foreign_victim=bool(victim and victim.is_foreign),
        violence_against_women=screening.violence_against_women,
        sexual_violence=bool(screening.sexual_violence),
        high_risk=screening.high_risk,
        screened_at=screening.created_at,
        incident_at=incident_at,
        missing=tuple(screening.missing),
    )


def _policy_hours() -> dict[str, int] | None:
    return getattr(settings, "OBLIGATION_POLICY_HOURS", None)


def _add_obligations(screening: Screening, *, victim: Victim | None, actor: User) -> list[Obligation]:
    """Add the obligations that follow; one already on the case is not added twice (a done establish item reopens)."""
    case = screening.case
    context = _context(screening, victim=victim, incident_at=case.incident_at)
    existing = {obligation.code: obligation for obligation in Obligation.objects.filter(case=case)}
    created = []
    for item in obligations_for(context, _policy_hours()):
        if item.code in ESTABLISH_ITEMS.values() and item.code in existing:
            _reopen_if_done(existing[item.code], screening=screening, item=item, actor=actor)
            continue
        if item.code in existing:
            continue
        obligation = obligation_add(case=case, item=item, actor=actor, screening=screening)
        created.append(obligation)
    obligations_added.send(sender=Obligation, case=case, screening=screening, obligations=created, actor=actor)
    return created


def obligation_add(*, case: Case, item: DueItem, actor: User, screening: Screening | None = None) -> Obligation:
    """Add one due item to a case, addressed as its route says, and tell at once the people the route names.

    Call inside the transaction of the change that makes it due: the notices go through the outbox with it.
    """
    route = route_of(item.code)
    obligation = Obligation(
        case=case,
        screening=screening,
        code=item.code,
        due_at=item.due_at,
        basis=item.basis,
        deadline_rule=item.deadline_rule,
        incident_time_unknown=item.incident_time_unknown,
        addressee=route.addressee,
        unit_id=case.unit_id,
    )
    set_history(obligation, actor=actor, reason="due after a screening" if screening else "due")
    obligation.save()
    params = {"case_number": case.number, "case_id": str(case.pk), "code": item.code}
    link = reverse("cases:detail", args=[case.pk])
    for role in route.notify:
        recipients = users_with_role(unit_id=case.unit_id, role=role)
        outbox_notify_users(recipients=recipients, kind="due_item", params=params, link=link, skip=actor)
    return obligation


def _close_established(screening: Screening, *, actor: User) -> None:
    """Close the open establish items of the elements this screening no longer misses, in its author's name."""
    settled = Obligation.objects.filter(
        case=screening.case, status=Obligation.Status.OPEN, code__in=establish_items_settled(screening.missing)
    )
    for obligation in settled.order_by("code"):
        obligation.status = Obligation.Status.DONE
        obligation.done_at = screening.created_at
        obligation.done_by = actor
        set_history(obligation, actor=actor, reason="established by a later screening")
        obligation.save(update_fields=["status", "done_at", "done_by"])


def _reopen_if_done(obligation: Obligation, *, screening: Screening, item: DueItem, actor: User) -> None:
    """Ask again for an element a later screening still misses though its item was done."""
    if obligation.status != Obligation.Status.DONE:
        return  # still open: the first deadline stands
    obligation.status = Obligation.Status.OPEN
    obligation.done_at = obligation.done_by = None
    obligation.screening = screening
    obligation.due_at = item.due_at
    obligation.escalated_at = None  # open again with a new deadline: the head is told again if it runs out
    set_history(obligation, actor=actor, reason="still missing in a later screening")
    obligation.save(update_fields=["status", "done_at", "done_by", "screening", "due_at", "escalated_at"])


def obligation_deadlines_recompute(*, case: Case, actor: User) -> list[Obligation]:
    """Recompute the open deadlines that count from the case's incident time; save and keep in history the changed ones.

    Called by the case edit (in its transaction) when the incident time was entered, corrected or removed.
    """
    changed = []
    with transaction.atomic():
        open_obligations = (
            Obligation.objects.select_for_update(of=("self",))  # not the screening and person joined in
            .filter(case=case, status=Obligation.Status.OPEN, code__in=INCIDENT_CLOCK)
            .select_related("screening__victim")
            .order_by("pk")
        )
        for obligation in open_obligations:
            screening = obligation.screening
            context = _context(screening, victim=screening.victim, incident_at=case.incident_at)
            due = {item.code: item for item in recomputed_for_incident(context, _policy_hours())}
            item = due.get(obligation.code)
            if item is None:
                continue
            new = {"due_at": item.due_at, "deadline_rule": item.deadline_rule,
                   "incident_time_unknown": item.incident_time_unknown}  # fmt: skip
            if all(getattr(obligation, field) == value for field, value in new.items()):
                continue
            if _no_longer_overdue(obligation, new_due_at=item.due_at):
                new["escalated_at"] = None  # the head was told it ran out; the new deadline may run out again
            for field, value in new.items():
                setattr(obligation, field, value)
            set_history(obligation, actor=actor, reason="incident time changed: deadline recomputed")
            obligation.save(update_fields=list(new))
            changed.append(obligation)
    return changed


def _no_longer_overdue(obligation: Obligation, *, new_due_at) -> bool:
    """Whether an escalated item's deadline moved later, past now: it is in time again and may escalate again."""
    if obligation.escalated_at is None or new_due_at is None:
        return False
    return (obligation.due_at is None or new_due_at > obligation.due_at) and new_due_at > timezone.now()


def obligation_complete(*, obligation: Obligation, actor: User, note: str = "") -> Obligation:
    """Mark an obligation done, with the time, the author and a note of what was done (required for notices,
    information and referrals); the officer's step it stands for (the rapport) is recorded with it."""
    note = note.strip()
    if note_required(obligation.code) and not note:
        raise ValidationError({"note": _("Say what was done: to whom, and the document number if there is one.")})
    with transaction.atomic():
        lock_open_case(obligation.case_id)  # the case first, as every change of it does
        obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
        if obligation.status == Obligation.Status.DONE:
            return obligation
        obligation.status = Obligation.Status.DONE
        obligation.done_at = timezone.now()
        obligation.done_by = actor
        obligation.note = note
        obligation.full_clean(validate_unique=False, validate_constraints=False)  # the note: length, hidden characters
        set_history(obligation, actor=actor, reason="done")
        obligation.save(update_fields=["status", "done_at", "done_by", "note"])
        if step_code := STEP_OF_OBLIGATION.get(obligation.code):
            done_at = obligation.done_at
            officer_step_record(case=obligation.case, actor=actor, code=step_code, note=note, done_at=done_at)
    return obligation


def obligation_undo(*, obligation: Obligation, actor: User) -> Obligation:
    """Open again an obligation marked done by mistake: only its author, within UNDO_MINUTES; with the step recorded
    with it. The history keeps who marked it, with which note, and who took it back."""
    with transaction.atomic():
        lock_open_case(obligation.case_id)
        obligation = Obligation.objects.select_for_update().select_related("case").get(pk=obligation.pk)
        if obligation.status != Obligation.Status.DONE:
            return obligation  # open already (a second click)
        refuse_undo_unless_allowed(done_at=obligation.done_at, done_by_id=obligation.done_by_id, actor=actor)
        step_code = STEP_OF_OBLIGATION.get(obligation.code)
        recorded_with_it = OfficerStep.objects.filter(
            case=obligation.case, code=step_code, done_at=obligation.done_at, done_by=actor
        ).first()
        obligation.status = Obligation.Status.OPEN
        obligation.done_at = obligation.done_by = None
        obligation.note = ""
        obligation.escalated_at = None  # open again: if it is (still) overdue, the head is told again
        set_history(obligation, actor=actor, reason="undone")
        obligation.save(update_fields=["status", "done_at", "done_by", "note", "escalated_at"])
        if recorded_with_it is not None:
            officer_step_undo(step=recorded_with_it, actor=actor)
    return obligation
