"""Every change to a case and what is in it: one function per use case, atomic, with history."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.history import set_history
from accounts.models import ApiKey, Unit, User
from accounts.readers import Reader
from accounts.roles import Role
from accounts.services import outbox_notify_user
from accounts.validators import strip_hidden_characters

from . import files
from .closed import refuse_closed_case
from .models import (
    Attachment,
    Case,
    CaseNumberCounter,
    ExploitationSite,
    LegalRepresentative,
    OfficerStep,
    PersonalDataAccess,
    Suspect,
    Victim,
)
from .names import name_key, phonetic_key
from .permissions import CHANGE_CASE, VIEW_CASE
from .probes import Probe, document_blind_index, phone_blind_index
from .reasons import CLOSED, REMOVED, REOPENED, explained, required_reason
from .undo import refuse_undo_unless_allowed


class StaleEditError(Exception):
    """Someone saved the record after the form was opened; nothing was overwritten."""

    def __init__(self, changes: list["FieldChange"]) -> None:
        super().__init__("stale edit")
        self.changes = changes


@dataclass(frozen=True)
class FieldChange:
    """One field changed by someone else since the form was opened."""

    field: str
    label: str
    old: Any
    new: Any
    by: str
    at: Any


def _changes_since(instance: Model, *, version: int) -> list[FieldChange]:
    """List what others changed after `version`, from the history records."""
    records = list(instance.history.filter(version__gte=version).order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    changes: list[FieldChange] = []
    for older, newer in pairwise(records):
        delta = newer.diff_against(older)
        for change in delta.changes:
            if change.field in {"version", "updated_at", "name_key", "name_phonetic", "phone_key", "document_key"}:
                continue
            field = instance._meta.get_field(change.field)
            changes.append(
                FieldChange(
                    field=change.field,
                    label=str(field.verbose_name),
                    old=_readable(field, change.old),
                    new=_readable(field, change.new),
                    by=str(newer.history_user or "—"),
                    at=newer.history_date,
                )
            )
    return changes


def _readable(field, value: Any) -> Any:
    """Show a stored value as the form shows it: a choice by its label, a related row by its name."""
    if value in (None, ""):
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related is not None else value
    return value


def lock_open_case(case_id) -> Case:
    """Hold the case's row until the transaction ends; refuse a closed case (CaseIsClosed, a 403 with the reason).

    Closing and reopening take the same lock (case_close, case_reopen), so a change that passed the view's check while
    the case was being closed waits for the close and is then refused: nothing lands in a closed case. Call it first in
    the transaction, before locking the record itself, so that locks are always taken case first.
    """
    return refuse_closed_case(Case.objects.select_for_update().only("id", "number", "status").get(pk=case_id))


def _case_id_of(record: Model):
    """The case a record of a case belongs to (a legal representative's through its person); None for a case."""
    if isinstance(record, Case):
        return None
    if isinstance(record, LegalRepresentative):
        return Victim.objects.values_list("case_id", flat=True).get(pk=record.victim_id)
    return record.case_id


def _save_versioned(instance: Model, *, data: dict[str, Any], version: int, actor: User, reason: str) -> Model:
    """Apply `data` to a row only if nobody saved it since `version`; raise StaleEditError otherwise."""
    model = type(instance)
    with transaction.atomic():
        if (case_id := _case_id_of(instance)) is not None:
            lock_open_case(case_id)
        current = model.objects.select_for_update().get(pk=instance.pk)
        if current.version != version:
            raise StaleEditError(_changes_since(current, version=version))
        changed = [name for name, value in data.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, data[name])
        current.version += 1
        set_history(current, actor=actor, reason=reason)
        current.full_clean()
        current.save()
    return current


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
def _next_case_number(unit: Unit) -> str:
    """Take the next number of the unit's sequence for this year; call inside the transaction that saves the case.

    The unit's counter row stays locked until that transaction ends, so officers opening cases at the same moment
    wait for each other instead of reading the same latest number, and a failed save gives the number back.
    """
    year = timezone.localdate().year
    prefix = f"{unit.code.upper()}-{year}-"
    counter = _locked_case_number_counter(unit=unit, year=year, prefix=prefix)
    sequence = counter.last + 1
    while Case.objects.filter(number=f"{prefix}{sequence:05d}").exists():  # a number written by hand or imported
        sequence += 1
    counter.last = sequence
    counter.save(update_fields=["last"])
    return f"{prefix}{sequence:05d}"


def _locked_case_number_counter(*, unit: Unit, year: int, prefix: str) -> CaseNumberCounter:
    counter = CaseNumberCounter.objects.select_for_update().filter(unit=unit, year=year).first()
    if counter is None:
        # The year's first case: INSERT ... ON CONFLICT DO NOTHING, so of two officers opening it at once one
        # creates the row and the other waits for that transaction, then locks the same row.
        CaseNumberCounter.objects.bulk_create(
            [CaseNumberCounter(unit=unit, year=year, last=_highest_case_sequence(prefix))], ignore_conflicts=True
        )
        counter = CaseNumberCounter.objects.select_for_update().get(unit=unit, year=year)
    return counter


def _highest_case_sequence(prefix: str) -> int:
    """The highest sequence among existing numbers with this prefix (cases saved before the counter existed)."""
    suffixes = (
        number[len(prefix) :]
        for number in Case.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    )
    return max((int(suffix) for suffix in suffixes if suffix.isascii() and suffix.isdigit()), default=0)


def case_create(*, actor: User, data: dict[str, Any], unit: Unit | None = None, assign_creator: bool = True) -> Case:
    """Open a case in the actor's unit; the creator is the assigned officer unless another is named.

    `assign_creator=False` leaves it without an officer: a report passed in (by the 1899 desk) to a unit that has
    yet to take it up.
    """
    unit = unit or actor.unit
    if unit is None:
        raise ValidationError(_("Your account has no unit; ask an administrator to assign one."))
    with transaction.atomic():
        case = Case(unit=unit, created_by=actor, **data)
        if case.assigned_officer_id is None and assign_creator:
            case.assigned_officer = actor
        case.number = _next_case_number(unit)
        case.full_clean()
        set_history(case, actor=actor, reason="created")
        case.save()
        if case.assigned_officer_id and case.assigned_officer_id != actor.pk:
            _notify_assigned(case)
    return case


def case_update(*, case: Case, actor: User, data: dict[str, Any], version: int) -> Case:
    """Save an edit of a case; refuse a stale form instead of overwriting a colleague's change.

    Closing is its own change, with a reason (case_close); a closed case is not edited until reopened.
    """
    if data.get("status") == Case.Status.CLOSED:
        raise ValidationError({"status": _("Close a case with its own button, giving the reason.")})
    with transaction.atomic():
        # Read the officer from the row, not the instance: a bound ModelForm has already written the new value into it.
        previous_officer_id, previous_incident_at, status = (
            Case.objects.select_for_update().values_list("assigned_officer_id", "incident_at", "status").get(pk=case.pk)
        )
        if status == Case.Status.CLOSED:
            raise ValidationError(_("The case is closed: reopen it before changing it."))
        case = _save_versioned(case, data=data, version=version, actor=actor, reason="edited")
        if case.assigned_officer_id and case.assigned_officer_id not in (previous_officer_id, actor.pk):
            _notify_assigned(case)
        if case.incident_at != previous_incident_at:
            _recompute_incident_deadlines(case=case, actor=actor)
        if case.status == Case.Status.REGISTERED and status != Case.Status.REGISTERED:
            _notify_report_author_of_registration(case, actor=actor)
    return case


def case_take_up(*, case: Case, officer: User, actor: User) -> bool:
    """Make `officer` the case's officer when it has none (a report passed in by the 1899 desk, taken up by the duty
    unit); return whether it was set. The history names the actor; the caller tells the officer when it is not them.
    """
    with transaction.atomic():
        lock_open_case(case.pk)
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.assigned_officer_id is not None:
            return False
        current.assigned_officer = officer
        current.version += 1
        set_history(current, actor=actor, reason="report taken up")
        current.save(update_fields=["assigned_officer", "version", "updated_at"])
    case.assigned_officer, case.version = officer, current.version
    return True


def case_close(*, case: Case, actor: User, reason: str) -> Case:
    """Close a case, with the reason kept in its history; nothing in it can be changed until it is reopened."""
    reason = required_reason(reason)
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.status == Case.Status.CLOSED:
            raise ValidationError(_("The case is closed already."))
        current.status = Case.Status.CLOSED
        current.version += 1
        set_history(current, actor=actor, reason=explained(CLOSED, reason))
        current.save(update_fields=["status", "version", "updated_at"])
    return current


def case_reopen(*, case: Case, actor: User, reason: str) -> Case:
    """Reopen a closed case at the status it had before it was closed, with the reason kept in its history."""
    reason = required_reason(reason)
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.status != Case.Status.CLOSED:
            raise ValidationError(_("The case is not closed."))
        current.status = _status_before_closing(current)
        current.version += 1
        set_history(current, actor=actor, reason=explained(REOPENED, reason))
        current.save(update_fields=["status", "version", "updated_at"])
    return current


def _status_before_closing(case: Case) -> str:
    before = case.history.exclude(status=Case.Status.CLOSED).order_by("-history_date", "-history_id").first()
    return before.status if before is not None else Case.Status.NEW


def _recompute_incident_deadlines(*, case: Case, actor: User) -> None:
    """Move the deadlines that count from the incident (the 72 hours) to the new incident time."""
    # The obligations belong to the screening app, which imports this one: import it here to avoid the cycle.
    from screening.services import obligation_deadlines_recompute

    obligation_deadlines_recompute(case=case, actor=actor)


def _notify_report_author_of_registration(case: Case, *, actor: User) -> None:
    """Tell the 1899 desk that passed a report in that it is registered in the КБР, so the hotline can close the call.

    Only the number of the case and the date: the desk sees its calls, not the case.
    """
    author = case.created_by
    if case.source != Case.Source.HOTLINE_1899 or author.pk == actor.pk or not author.has_role(Role.HOTLINE_OPERATOR):
        return
    outbox_notify_user(
        recipient=author,
        kind="report_registered",
        params={"case_number": case.number, "kbr_registered_at": str(case.kbr_registered_at or "")},
        link=reverse("referrals:hotline_calls"),
    )


def _notify_assigned(case: Case) -> None:
    outbox_notify_user(
        recipient=case.assigned_officer,
        kind="case_assigned",
        params={"case_number": case.number, "case_id": str(case.pk)},
        link=reverse("cases:detail", args=[case.pk]),
    )


def case_grant_access(*, case: Case, grantee: User, actor: User, can_change: bool = False) -> None:
    """Give one user access to one case (a per-object grant)."""
    with transaction.atomic():
        assign_perm(VIEW_CASE, grantee, case)
        if can_change:
            assign_perm(CHANGE_CASE, grantee, case)
        set_history(case, actor=actor, reason=f"access granted to user {grantee.pk}")
        case.save(update_fields=["updated_at"])


def case_revoke_access(*, case: Case, grantee: User, actor: User) -> None:
    """Take back a per-case grant."""
    with transaction.atomic():
        remove_perm(VIEW_CASE, grantee, case)
        remove_perm(CHANGE_CASE, grantee, case)
        set_history(case, actor=actor, reason=f"access revoked from user {grantee.pk}")
        case.save(update_fields=["updated_at"])


# ---------------------------------------------------------------------------
# Victims and the people around them
# ---------------------------------------------------------------------------
def _victim_keys(victim: Victim) -> None:
    victim.name_key = name_key(victim.last_name, victim.first_name) or name_key(
        victim.last_name_latin, victim.first_name_latin
    )
    victim.name_phonetic = phonetic_key(victim.last_name, victim.first_name) or phonetic_key(
        victim.last_name_latin, victim.first_name_latin
    )
    victim.phone_key = phone_blind_index(victim.phone)
    victim.document_key = document_blind_index(victim.id_document_number)


def victim_create(*, case: Case, actor: User, data: dict[str, Any]) -> Victim:
    """Add a possible victim to a case."""
    with transaction.atomic():
        lock_open_case(case.pk)
        victim = Victim(case=case, **data)
        _victim_keys(victim)
        victim.full_clean()
        set_history(victim, actor=actor, reason="created")
        victim.save()
    return victim


def victim_update(*, victim: Victim, actor: User, data: dict[str, Any], version: int) -> Victim:
    """Save an edit of a victim's data, refusing a stale form."""
    probe = Victim(**{**{f.attname: getattr(victim, f.attname) for f in Victim._meta.concrete_fields}, **data})
    _victim_keys(probe)
    data = {
        **data,
        "name_key": probe.name_key,
        "name_phonetic": probe.name_phonetic,
        "phone_key": probe.phone_key,
        "document_key": probe.document_key,
    }
    return _save_versioned(victim, data=data, version=version, actor=actor, reason="edited")


def legal_representative_add(*, victim: Victim, actor: User, data: dict[str, Any]) -> LegalRepresentative:
    """Record a child's legal representative."""
    with transaction.atomic():
        lock_open_case(victim.case_id)
        representative = LegalRepresentative(victim=victim, **data)
        representative.full_clean()
        set_history(representative, actor=actor, reason="created")
        representative.save()
    return representative


def legal_representative_update(
    *, representative: LegalRepresentative, actor: User, data: dict[str, Any], version: int
) -> LegalRepresentative:
    """Correct a legal representative, refusing a stale form."""
    return _save_versioned(representative, data=data, version=version, actor=actor, reason="edited")


def legal_representative_remove(*, representative: LegalRepresentative, actor: User, reason: str, version: int) -> None:
    """Remove a legal representative recorded by mistake; the history keeps the record and the reason."""
    _remove_versioned(representative, actor=actor, reason=reason, version=version)


def _remove_versioned(instance: Model, *, actor: User, reason: str, version: int) -> None:
    """Delete a row only if nobody saved it since `version` (StaleEditError otherwise), with the reason in history."""
    reason = required_reason(reason)
    with transaction.atomic():
        lock_open_case(_case_id_of(instance))
        current = type(instance).objects.select_for_update().filter(pk=instance.pk).first()
        if current is None:  # removed already (a second click)
            return
        if current.version != version:
            raise StaleEditError(_changes_since(current, version=version))
        set_history(current, actor=actor, reason=explained(REMOVED, reason))
        current.delete()


def suspect_add(*, case: Case, actor: User, data: dict[str, Any]) -> Suspect:
    """Record a possible offender."""
    with transaction.atomic():
        lock_open_case(case.pk)
        suspect = Suspect(case=case, **data)
        suspect.full_clean()
        set_history(suspect, actor=actor, reason="created")
        suspect.save()
    return suspect


def suspect_update(*, suspect: Suspect, actor: User, data: dict[str, Any], version: int) -> Suspect:
    """Correct what is recorded about a possible offender, refusing a stale form."""
    return _save_versioned(suspect, data=data, version=version, actor=actor, reason="edited")


def suspect_remove(*, suspect: Suspect, actor: User, reason: str, version: int) -> None:
    """Remove a suspect recorded by mistake; the history keeps the record and the reason."""
    _remove_versioned(suspect, actor=actor, reason=reason, version=version)


def exploitation_site_add(*, case: Case, actor: User, data: dict[str, Any]) -> ExploitationSite:
    """Record a place of exploitation."""
    with transaction.atomic():
        lock_open_case(case.pk)
        site = ExploitationSite(case=case, **data)
        site.full_clean()
        set_history(site, actor=actor, reason="created")
        site.save()
    return site


def exploitation_site_update(
    *, site: ExploitationSite, actor: User, data: dict[str, Any], version: int
) -> ExploitationSite:
    """Correct an exploitation site, refusing a stale form."""
    return _save_versioned(site, data=data, version=version, actor=actor, reason="edited")


def exploitation_site_remove(*, site: ExploitationSite, actor: User, reason: str, version: int) -> None:
    """Remove an exploitation site recorded by mistake; the history keeps the record and the reason."""
    _remove_versioned(site, actor=actor, reason=reason, version=version)


# ---------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------
def attachment_add(*, case: Case, actor: User, upload: UploadedFile, kind: str, max_bytes: int) -> Attachment:
    """Store a file of the case after checking its name, size and whole content (cases.files): images and Word
    documents are stored without their metadata, so the size and SHA-256 are those of the stored file."""
    checked = files.check_upload(upload, max_bytes=max_bytes)
    digest = hashlib.sha256()
    for chunk in checked.content.chunks():
        digest.update(chunk)
    checked.content.seek(0)
    with transaction.atomic():
        lock_open_case(case.pk)
        attachment = Attachment(
            case=case,
            kind=kind,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.full_clean(exclude=["file"])  # before the file is written; the file itself was checked above
        attachment.file.save(str(attachment.id), checked.content, save=False)
        set_history(attachment, actor=actor, reason="uploaded")
        attachment.save()
    return attachment


def attachment_remove(*, attachment: Attachment, actor: User, reason: str) -> Attachment:
    """Take a file off the case, with the reason: the row and the file stay for the audit (superusers may still
    download it); the case page no longer lists it."""
    reason = required_reason(reason)
    with transaction.atomic():
        lock_open_case(attachment.case_id)
        current = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if current.removed_at is not None:  # removed already (a second click)
            return current
        current.removed_at = timezone.now()
        current.removed_by = actor
        current.removal_reason = reason
        set_history(current, actor=actor, reason=explained(REMOVED, reason))
        current.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    return current


# ---------------------------------------------------------------------------
# Personal-data access log
# ---------------------------------------------------------------------------
ACCESS_LOG_ID_LENGTH = 64
_ID_CHARACTERS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_")
_PURPOSE_OF_ACTION = {
    PersonalDataAccess.Action.EXPORT: PersonalDataAccess.Purpose.EXPORT,
    PersonalDataAccess.Action.DUPLICATE_CHECK: PersonalDataAccess.Purpose.DUPLICATE_CHECK,
    PersonalDataAccess.Action.HISTORY: PersonalDataAccess.Purpose.SUPERVISION,
    PersonalDataAccess.Action.DENIED: "",
}


def access_purpose(*, action: str, user: User | None, api_key: ApiKey | None) -> str:
    """Why a read happened, when the path that read it does not say: from its action (an export, a duplicate check, a
    look at the history), else referral work for an organisation (an API key, NGO staff), else case work."""
    if action in _PURPOSE_OF_ACTION:
        return _PURPOSE_OF_ACTION[action]
    if api_key is not None or (user is not None and user.organisation_id is not None):
        return PersonalDataAccess.Purpose.REFERRAL
    return PersonalDataAccess.Purpose.CASE_WORK


def access_log_requested_id(value: object) -> str:
    """The id a refused request asked for, fit to store: only the letters, digits and dashes an id is made of (no NUL,
    no text-direction override, no name typed in its place), at most ACCESS_LOG_ID_LENGTH of them."""
    text = str(value)[: ACCESS_LOG_ID_LENGTH * 4]
    return "".join(character for character in text if character in _ID_CHARACTERS)[:ACCESS_LOG_ID_LENGTH]


def personal_data_access_record(
    *,
    user: User | None,
    case: Case | None,
    record: Model | None,
    action: str,
    ip_address: str | None,
    user_agent: str = "",
    probe: Probe | None = None,
    api_key: ApiKey | None = None,
    purpose: str = "",
    record_type: str = "",
    record_id: str = "",
    case_id: object = None,
) -> PersonalDataAccess:
    """Append one row to the access log: who read whose personal data, when, why and from where (and what a check
    probed).

    Who is a user, or an organisation's API key (`user` None); the organisation acted for is kept with either. Why is
    `purpose`, or derived from the action and the reader (access_purpose).
    """
    if user is None and api_key is None:
        raise ValueError("an access-log row names a user or an API key")
    probe = probe or Probe(kinds=())
    return PersonalDataAccess.objects.create(
        user=user,
        api_key=api_key,
        organisation_id=api_key.organisation_id if api_key is not None else user.organisation_id,
        unit_id=user.unit_id if user is not None else None,
        case_id=case.pk if case is not None else case_id,
        action=action,
        purpose=purpose or access_purpose(action=action, user=user, api_key=api_key),
        record_type=record._meta.model_name if record is not None else record_type,
        record_id=str(record.pk) if record is not None else record_id,
        ip_address=ip_address or None,
        user_agent=strip_hidden_characters(user_agent)[:200],
        query_kinds=",".join(probe.kinds),
        name_hash=probe.name_hash,
        phone_hash=probe.phone_hash,
        document_hash=probe.document_hash,
    )


def personal_data_read_record(
    *, reader: Reader, case: Case, record: Model, action: str, purpose: str = ""
) -> PersonalDataAccess:
    """Append the access-log row of one read by `reader` (the selectors that return personal data call this): a user's,
    or an API key's."""
    return personal_data_access_record(
        user=None if reader.api_key is not None else reader.user,
        api_key=reader.api_key,
        case=case,
        record=record,
        action=action,
        ip_address=reader.ip_address,
        user_agent=reader.user_agent,
        purpose=purpose,
    )


def personal_data_denied_record(
    *, reader: Reader, record_type: str, requested_id: object, case_id: object = None
) -> PersonalDataAccess | None:
    """Append the row of a refused request (the page answered 404): who asked for which kind of object and the id as
    asked (cleaned, capped), with its case when the id names one; never what the object holds. An anonymous visitor
    writes nothing (the sign-in page answers them, and django-axes counts failed sign-ins)."""
    user = reader.user if reader.user is not None and reader.user.is_authenticated else None
    if reader.api_key is None and user is None:
        return None
    return personal_data_access_record(
        user=None if reader.api_key is not None else user,
        api_key=reader.api_key,
        case=None,
        case_id=case_id,
        record=None,
        action=PersonalDataAccess.Action.DENIED,
        ip_address=reader.ip_address,
        user_agent=reader.user_agent,
        record_type=record_type[:40],
        record_id=access_log_requested_id(requested_id),
    )


def personal_data_export_record(*, reader: Reader, cases: list[Case], purpose: str = "") -> None:
    """Append one access-log row per exported case, in one query, with the fields a single read writes
    (personal_data_access_record); the purpose the exporter stated, or "export or reporting"."""
    user = reader.user
    PersonalDataAccess.objects.bulk_create(
        [
            PersonalDataAccess(
                user=user,
                organisation_id=user.organisation_id,
                unit_id=user.unit_id,
                case=case,
                action=PersonalDataAccess.Action.EXPORT,
                purpose=purpose or PersonalDataAccess.Purpose.EXPORT,
                record_type=Case._meta.model_name,
                record_id=str(case.pk),
                ip_address=reader.ip_address or None,
                user_agent=strip_hidden_characters(reader.user_agent)[:200],
            )
            for case in cases
        ]
    )


# ---------------------------------------------------------------------------
# Officer's steps (DOMAIN §7)
# ---------------------------------------------------------------------------
def officer_step_record(
    *, case: Case, actor: User, code: str, note: str = "", done_at: datetime | None = None
) -> OfficerStep:
    """Record that a step was done by the actor, now (or at `done_at`, the moment of the due item it was done with);
    a step already recorded keeps its first time, author and note."""
    if code not in OfficerStep.Code.values:
        raise ValidationError({"code": _("Unknown step.")})
    with transaction.atomic():
        lock_open_case(case.pk)
        step = OfficerStep.objects.filter(case=case, code=code).first()
        if step is not None:
            return step
        step = OfficerStep(case=case, code=code, done_by=actor, note=note.strip(), done_at=done_at or timezone.now())
        # Once per case is the database's to enforce: two officers marking the step at the same moment both find none.
        step.full_clean(validate_constraints=False)
        set_history(step, actor=actor, reason="done")
        try:
            with transaction.atomic():
                step.save()
        except IntegrityError:
            recorded = OfficerStep.objects.filter(case=case, code=code).first()
            if recorded is None:
                raise
            return recorded
    return step


def officer_step_undo(*, step: OfficerStep, actor: User) -> None:
    """Take back a step recorded by mistake: only its author, within UNDO_MINUTES; the history keeps both."""
    with transaction.atomic():
        lock_open_case(step.case_id)
        step = OfficerStep.objects.select_for_update().filter(pk=step.pk).first()
        if step is None:  # taken back already (a second click)
            return
        refuse_undo_unless_allowed(done_at=step.done_at, done_by_id=step.done_by_id, actor=actor)
        set_history(step, actor=actor, reason="undone")
        step.delete()
