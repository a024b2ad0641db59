"""Permission-filtered reads of screenings and obligations (through the case scope)."""

from uuid import UUID

from django.http import Http404

from accounts.models import User
from cases.selectors import case_list_editable_by, case_list_visible_to

from .models import Obligation, Screening


def screening_get_for_user(*, user: User, screening_id: UUID | str) -> Screening:
    """Return a screening of a case the user may read; Http404 otherwise."""
    try:
        return Screening.objects.select_related("case", "victim", "created_by").get(
            pk=screening_id, case__in=case_list_visible_to(user=user)
        )
    except (Screening.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def obligation_get_for_change(*, user: User, obligation_id: UUID | str) -> Obligation:
    """Return an obligation of a case the user may change; Http404 otherwise."""
    try:
        return Obligation.objects.select_related("case").get(
            pk=obligation_id, case__in=case_list_editable_by(user=user)
        )
    except (Obligation.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def latest_screenings_for(case_ids: list) -> dict:
    """Return {case id: latest screening} for the given (already permitted) cases, in one query."""
    latest: dict = {}
    for screening in Screening.objects.filter(case_id__in=case_ids).order_by("case_id", "-created_at"):
        latest.setdefault(screening.case_id, screening)
    return latest
