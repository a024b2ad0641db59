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
    """The latest screening, earlier ones and the obligations, for the case page.

    `?screened=<id>` (where the wizard sends the officer after saving) names the screening just saved: the due items
    it created are marked as new. The case page passes `victims` and `can_work`; the main button is "screen" once the
    case has a person and no screening.
    """
    request = context["request"]
    user = request.user
    screenings = list(case.screenings.select_related("created_by")[:20])
    latest = screenings[0] if screenings else None
    screened = next((s for s in screenings if str(s.pk) == request.GET.get("screened")), None)
    obligations = list(case.obligations.select_related("done_by").order_by("-status", "due_at"))
    for obligation in obligations:
        obligation.is_new = screened is not None and obligation.screening_id == screened.pk
    can_work = context.get("can_work")
    if can_work is None:
        can_work = user_can_change_case(user=user, case=case) and user_does_case_work(user=user)
    return {
        "case": case,
        "latest": latest,
        "screened": screened,
        "missing_elements": _missing_elements(latest),
        "earlier": screenings[1:],
        "obligations": obligations,
        "can_work": can_work,
        "screening_is_main_action": can_work and latest is None and bool(context.get("victims")),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("screening/_screen_now.html", takes_context=True)
def person_screen_now(context, victim) -> dict:
    """ "Screen now" on a person's page, while the person has no screening and the reader works the case."""
    return {
        "case": victim.case,
        "victim": victim,
        "offered": bool(context.get("can_work")) and not victim.screenings.exists(),
    }


def _missing_elements(screening) -> list[str]:
    """Name, in the reader's language, the elements a screening without a verdict could not establish."""
    if screening is None or screening.verdict != "elements_not_established":
        return []
    language = (get_language() or "ky")[:2]
    language = language if language in LANGUAGES else "en"
    return [LABELS[element][language] for element in screening.missing if element in LABELS]
