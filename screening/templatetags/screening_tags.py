"""Screening badges and panels shown on case pages (the cases app reads screening data only through these)."""

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from cases.selectors import user_can_change_case, user_does_case_work

from ..labels import DEADLINE_RULE_LABELS, OBLIGATION_LABELS
from ..qualification import LABELS, LANGUAGES
from ..selectors import latest_screenings_for

register = template.Library()


@register.simple_tag
def latest_screenings(cases) -> dict:
    """Return {case id: latest screening} for a page of cases, in one query."""
    return latest_screenings_for([case.pk for case in cases])


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def obligation_label(code: str) -> str:
    return OBLIGATION_LABELS.get(code, code)


@register.filter
def deadline_rule_label(rule: str) -> str:
    return DEADLINE_RULE_LABELS.get(rule, rule)


@register.filter
def is_overdue(obligation) -> bool:
    return obligation.status == "open" and obligation.due_at is not None and obligation.due_at < timezone.now()


@register.inclusion_tag("screening/_case_panel.html", takes_context=True)
def case_screening_panel(context, case) -> dict:
    """The latest screening, earlier ones and the obligations, for the case page."""
    user = context["request"].user
    screenings = list(case.screenings.select_related("created_by")[:20])
    latest = screenings[0] if screenings else None
    return {
        "case": case,
        "latest": latest,
        "missing_elements": _missing_elements(latest),
        "earlier": screenings[1:],
        "obligations": list(case.obligations.select_related("done_by").order_by("-status", "due_at")),
        "can_work": user_can_change_case(user=user, case=case) and user_does_case_work(user=user),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


def _missing_elements(screening) -> list[str]:
    """Name, in the reader's language, the elements a screening without a verdict could not establish."""
    if screening is None or screening.verdict != "elements_not_established":
        return []
    language = (get_language() or "ky")[:2]
    language = language if language in LANGUAGES else "en"
    return [LABELS[element][language] for element in screening.missing if element in LABELS]
