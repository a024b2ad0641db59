"""Small display helpers for case pages."""

from django import template
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..reasons import CLOSED, REMOVED, REOPENED, explanation_of
from ..undo import undo_open_until

register = template.Library()

_HISTORY_MODEL_LABELS = {
    "case": "Case",
    "victim": "Person",
    "legalrepresentative": "Legal representative",
    "suspect": "Suspect",
    "exploitationsite": "Exploitation site",
    "attachment": "Attachment",
    "officerstep": "Officer's step",
}


@register.filter
def initials(victim) -> str:
    """Initials only, so a case page does not read out a victim's name."""
    parts = [p for p in (victim.last_name or victim.last_name_latin, victim.first_name or victim.first_name_latin) if p]
    return " ".join(f"{p[0]}." for p in parts) or "—"


@register.filter
def history_subject(record) -> str:
    """What a history record is about, in the reader's language."""
    model_name = record.instance_type._meta.model_name
    if model_name not in _HISTORY_MODEL_LABELS:  # a model of another app (an obligation): its own translated name
        return capfirst(record.instance_type._meta.verbose_name)
    subject = _(_HISTORY_MODEL_LABELS[model_name])
    if model_name == "officerstep":
        return f"{subject} «{record.get_code_display()}»"
    return subject


@register.filter
def history_action(record) -> str:
    explanation = explanation_of(getattr(record, "history_change_reason", None))
    if explanation is not None:
        code, _text = explanation
        return {REMOVED: _("removed"), CLOSED: _("closed"), REOPENED: _("reopened")}[code]
    return {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(record.history_type, "")


@register.filter
def undo_until(done_at):
    """Until when a mark made at `done_at` may be undone (UNDO_MINUTES)."""
    return undo_open_until(done_at) if done_at else None


@register.filter
def history_reason(record) -> str:
    """The reason an officer gave for a change (a removal, closing, reopening); empty for the others."""
    explanation = explanation_of(getattr(record, "history_change_reason", None))
    return explanation[1] if explanation is not None else ""


@register.filter
def history_fields(record) -> list[str]:
    """Names (labels) of the fields a history record changed; values are not shown in the timeline."""
    # Records from selectors.case_history come paired with their previous record; any other looks it up.
    previous = record.previous_record if hasattr(record, "previous_record") else record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous)
    hidden = {"version", "updated_at", "name_key", "name_phonetic", "phone_key", "document_key"}
    model = record.instance_type
    return [str(model._meta.get_field(c.field).verbose_name) for c in delta.changes if c.field not in hidden]


# What a duplicate check searched by (the access log keeps the kinds, never the values).
_QUERY_KIND_LABELS = {
    "name": gettext_lazy("name"),
    "date_of_birth": gettext_lazy("date of birth"),
    "phone": gettext_lazy("phone"),
    "document": gettext_lazy("identity document number"),
}


@register.filter
def query_kind_labels(kinds: str) -> list[str]:
    """Labels of the comma-separated kinds of keys a duplicate check searched."""
    return [str(_QUERY_KIND_LABELS.get(kind, kind)) for kind in kinds.split(",") if kind]


@register.filter
def record_type_label(model_name: str) -> str:
    """What an access-log row read (a case, a person, a file, a screening), in the reader's language."""
    if model_name == "screening":
        return _("Screening")
    if model_name in _HISTORY_MODEL_LABELS:
        return _(_HISTORY_MODEL_LABELS[model_name])
    model = next((model for model in apps.get_models() if model._meta.model_name == model_name), None)
    return capfirst(model._meta.verbose_name) if model is not None else model_name  # a referral, a rapport, a call
