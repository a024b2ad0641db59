"""Screening badges and panels shown on case pages (the cases app reads screening data only through these)."""

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from cases.selectors import user_can_change_case, user_does_case_work
from cases.undo import may_undo

from ..labels import DEADLINE_RULE_LABELS, OBLIGATION_LABELS, due_in_words
from ..obligations import STEP_OF_OBLIGATION, note_required, route_of
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


@register.filter
def due_in(due_at) -> str:
    """ "in 5 hours", "2 hours overdue": how the deadline stands now, in the reader's language."""
    return due_in_words(due_at, now=timezone.now()) if due_at else ""


@register.filter
def steps_not_covered(steps: list[dict], case) -> list[dict]:
    """The officer's steps no due item of the case stands for: the rapport is listed once, as the due item."""
    covered = {STEP_OF_OBLIGATION[o.code] for o in _obligations_of(case) if o.code in STEP_OF_OBLIGATION}
    return [item for item in steps if item["code"] not in covered]


def _obligations_of(case) -> list:
    """The case's obligations, open ones first, soonest first; read once per page (the panel and the steps use them)."""
    if not hasattr(case, "_obligations_of_page"):
        obligations = case.obligations.select_related("done_by").prefetch_related("referrals")  # referrals app
        case._obligations_of_page = list(obligations.order_by("-status", "due_at"))
    return case._obligations_of_page


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
    steps = {item["code"]: item["step"] for item in context.get("steps") or []}
    refused_form = context.get("form") if context.get("refused_obligation") else None
    obligations = _obligations_of(case)
    for obligation in obligations:
        obligation.is_new = screened is not None and obligation.screening_id == screened.pk
        obligation.note_required = note_required(obligation.code)
        obligation.can_undo = may_undo(done_at=obligation.done_at, done_by_id=obligation.done_by_id, user=user)
        # The officer's step it stands for (the rapport), when recorded on its own before the item existed.
        step = steps.get(STEP_OF_OBLIGATION.get(obligation.code))
        obligation.step_recorded_apart = step if step is not None and step.done_at != obligation.done_at else None
        obligation.refused_form = refused_form if context.get("refused_obligation") == obligation.pk else None
        obligation.referral_missing = _referral_missing(obligation)
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


# Referral states that leave a due item's referral to be made again (read through the reverse relation of the
# referrals app, which drafts them: ARCHITECTURE §2).
REFERRAL_GONE = frozenset({"withdrawn", "declined"})


def _referral_missing(obligation) -> bool:
    """An open due item whose route asks for a referral that nobody drafted (no recipient in the directory when it
    was added) or that was withdrawn: the officer chooses a recipient by hand."""
    if obligation.status != "open" or not route_of(obligation.code).refer_to:
        return False
    return all(referral.status in REFERRAL_GONE for referral in obligation.referrals.all())


def _missing_elements(screening) -> list[str]:
    """Name, in the reader's language, the elements a screening without a verdict could not establish."""
    if screening is None or screening.verdict != "elements_not_established":
        return []
    language = (get_language() or "ky")[:2]
    language = language if language in LANGUAGES else "en"
    return [LABELS[element][language] for element in screening.missing if element in LABELS]
