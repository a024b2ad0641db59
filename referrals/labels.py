"""Translatable labels of what a recipient is shown of a referral (referrals.sharing.referral_payload)."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models import Country, LegalRepresentative, Sex
from screening.qualification import LANGUAGES, label

from .models import CATEGORIES, Category, Service

FIELD_LABELS = {
    "last_name": _("Surname"),
    "first_name": _("First name"),
    "patronymic": _("Patronymic"),
    "last_name_latin": _("Surname (Latin)"),
    "first_name_latin": _("First name (Latin)"),
    "sex": _("Sex"),
    "date_of_birth": _("Date of birth"),
    "approximate_age": _("Approximate age"),
    "citizenship": _("Citizenship"),
    "id_document_type": _("Identity document"),
    "id_document_number": _("Document number"),
    "phone": _("Phone"),
    "other_contacts": _("Other contacts"),
    "residence_address": _("Place of residence"),
    "temporary_residence_address": _("Temporary residence"),
    "health_needs": _("Health needs"),
    "sexual_violence": _("Sexual violence against the child: health information within 72 hours"),
    "prevention_window_ends_at": _("Prevention of STIs, HIV and pregnancy works until"),
    "message": _("Message from the officer"),
    "incident_at": _("Date and time of the incident"),
    "incident_place": _("Place of the incident"),
    "circumstances": _("Circumstances"),
    "articles": _("Articles of the Criminal Code"),
    "purposes": _("Purposes of exploitation"),
    "legal_representatives": _("Legal representatives"),
}


DATETIME_FIELDS = frozenset({"incident_at", "prevention_window_ends_at"})


def local_datetime_text(value: str) -> str:
    """An ISO date or time of the payload as the pages write them (dd.mm.yyyy, hh:mm in Asia/Bishkek)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if isinstance(moment, datetime) and "T" in str(value):
        return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "d.m.Y H:i")
    return date_format(moment.date(), "d.m.Y")


def _value(field: str, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field in DATETIME_FIELDS or field == "date_of_birth":
        return local_datetime_text(value)
    if field == "citizenship":
        country = Country.objects.filter(code=value).first()
        return country.display_name if country else str(value)
    if field == "sex":
        return str(dict(Sex.choices).get(value, value))
    if field == "sexual_violence":
        return str(_("yes")) if value else ""
    if field == "purposes":
        language = (get_language() or "ky")[:2]
        return ", ".join(label(code, language if language in LANGUAGES else "ky") for code in value)
    if field == "articles":
        return ", ".join(value)
    if field == "legal_representatives":
        relations = dict(LegalRepresentative.Relation.choices)
        parts = []
        for rep in value:
            extra = [str(relations.get(rep.get("relation"), "")), rep.get("phone", ""), rep.get("address", "")]
            parts.append(" · ".join([rep["full_name"], *[e for e in extra if e]]))
        return "; ".join(parts)
    return str(value)


def payload_sections(payload: dict) -> list[dict]:
    """The shared categories of a payload as (label, rows of (label, value)), in the directory's order."""
    labels = dict(Category.choices)
    sections = []
    for category in CATEGORIES:
        if category not in payload:
            continue
        rows = [(FIELD_LABELS.get(f, f), _value(f, v)) for f, v in payload[category].items()]
        sections.append({"code": category, "label": labels[category], "rows": [r for r in rows if r[1]]})
    return sections


def withheld_labels(payload: dict) -> list[str]:
    labels = dict(Category.choices)
    return [labels[c] for c in payload.get("withheld", [])]


def service_labels(codes) -> list[str]:
    labels = dict(Service.choices)
    return [str(labels.get(code, code)) for code in codes]


# The kinds of data in a word, for lists (the choices' labels explain each in full).
CATEGORY_SHORT_LABELS = {
    Category.IDENTITY: _("identity"),
    Category.CONTACTS: _("contacts"),
    Category.WHEREABOUTS: _("whereabouts"),
    Category.HEALTH: _("health"),
    Category.CASE_FACTS: _("case facts"),
}


def shared_text(categories) -> str:
    """The categories a recipient receives, in words, in the directory's order."""
    return ", ".join(str(CATEGORY_SHORT_LABELS[c]) for c in CATEGORIES if c in categories)
