"""Permission-filtered reads of screenings and obligations (through the case scope)."""

from dataclasses import dataclass
from uuid import UUID

from django.http import Http404

from accounts.models import User
from accounts.readers import Reader
from cases.denials import logs_denial
from cases.models import PersonalDataAccess
from cases.selectors import (
    case_list_editable_by,
    case_list_visible_to,
    refuse_closed_case,
    user_can_see_personal_data,
    user_does_case_work,
)
from cases.services import personal_data_read_record

from .models import Obligation, Screening
from .qualification import QualificationInputError, qualify


@logs_denial("screening", "screening_id", model="screening.Screening")
def screening_get_for_user(*, user: User, screening_id: UUID | str) -> Screening:
    """Return a screening of a case the user may read; Http404 otherwise."""
    try:
        return Screening.objects.select_related("case", "victim", "created_by").get(
            pk=screening_id, case__in=case_list_visible_to(user=user)
        )
    except (Screening.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def screening_latest_for(*, case) -> Screening | None:
    """Return the latest screening of a case the caller has already been allowed to change, or None."""
    return case.screenings.select_related("created_by").order_by("-created_at").first()


@dataclass(frozen=True)
class ScreeningShown:
    """A screening as one reader may see it: roles without personal data get no date of birth and no notes."""

    screening: Screening
    explanation: str
    notes: str
    personal_data_hidden: bool


def screening_shown_to(
    *, reader: Reader, screening: Screening, language: str, action: str = PersonalDataAccess.Action.VIEW
) -> ScreeningShown:
    """Return what the screening page (or its printable result, `action` "download") shows the reader, logging the
    read of personal data.

    The explanation as recorded (it holds the date of birth) and the notes; for roles without personal data, the
    explanation rebuilt with the age instead of the date of birth, no notes, and nothing logged.
    """
    if user_can_see_personal_data(user=reader.user):
        printing = action == PersonalDataAccess.Action.DOWNLOAD  # the printable result, to print
        personal_data_read_record(
            reader=reader,
            case=screening.case,
            record=screening,
            action=action,
            purpose=PersonalDataAccess.Purpose.PRINTING if printing else "",
        )
        return ScreeningShown(
            screening=screening,
            explanation=screening.explanation(language),
            notes=screening.notes,
            personal_data_hidden=False,
        )
    return ScreeningShown(
        screening=screening,
        explanation=_explanation_without_date_of_birth(screening, language),
        notes="",
        personal_data_hidden=True,
    )


def _explanation_without_date_of_birth(screening: Screening, language: str) -> str:
    """Rebuild the explanation from the stored facts with the date of birth replaced by the age it gave.

    Empty when the engine no longer reaches the recorded verdict from those facts: a different text would mislead.
    """
    facts = dict(screening.facts)
    born = facts.pop("victim_date_of_birth", None)
    try:
        if born is not None:
            age = qualify(screening.facts)["age"]
            if age is not None:
                facts["victim_age"] = age
        result = qualify(facts, language)
    except (QualificationInputError, KeyError, TypeError, ValueError):
        return ""
    return result["explanation"] if result["verdict"] == screening.verdict else ""


@logs_denial("obligation", "obligation_id", model="screening.Obligation")
def obligation_get_for_change(*, user: User, obligation_id: UUID | str) -> Obligation:
    """Return an obligation of a case the user may change; Http404 otherwise, and to roles that do not work cases."""
    if not user_does_case_work(user=user):
        raise Http404
    try:
        obligation = Obligation.objects.select_related("case").get(
            pk=obligation_id, case__in=case_list_editable_by(user=user, include_closed=True)
        )
    except (Obligation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    refuse_closed_case(obligation.case)
    return obligation


def latest_screenings_for(case_ids: list) -> dict:
    """Return {case id: latest screening} for the given (already permitted) cases, in one query."""
    latest: dict = {}
    for screening in Screening.objects.filter(case_id__in=case_ids).order_by("case_id", "-created_at"):
        latest.setdefault(screening.case_id, screening)
    return latest
