"""A new screening of a case starts from the latest one: what it recorded, as the wizard's fields hold it.

Everything the officer ticked or typed carries over, so that "facts evolve" means editing, not retyping six steps;
the notes do not (they belong to their screening). The wizard marks each field and step that differs from here.
"""

from datetime import date
from typing import Any

from . import indicators
from .models import Screening

NOT_IDENTIFIED = "not_identified"

# The wizard's steps and the fields each holds (the notes of step 6 are not compared: they never carry over).
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("victim", "act_date", "act_date_unknown", "victim_date_of_birth", "victim_age", "appears_minor"),
    2: ("adult_indicators", "child_indicators"),
    3: ("vulnerability", "vulnerability_kinds", "vulnerability_factors"),
    4: ("acts", "means", "vulnerability_evidenced", "vulnerability_abuse_evidenced", "purposes"),
    5: (
        "moved_across_kr_border", "crossed_border", "illegal_border_crossing", "free_consent_prostitution",
        "foreseen_slave_like_dependency", "exploitation_occurred", "suspect_age", "suspect_sane",
        "violence_against_women", "high_risk",
    ),
}  # fmt: skip
FACT_LISTS = ("acts", "means", "purposes", "exploitation_occurred")
FACT_FLAGS = (
    "appears_minor", "vulnerability_evidenced", "vulnerability_abuse_evidenced", "moved_across_kr_border",
    "crossed_border", "illegal_border_crossing", "free_consent_prostitution", "foreseen_slave_like_dependency",
)  # fmt: skip


def values_recorded_by(screening: Screening) -> dict[str, Any]:
    """Return the wizard's field values as the screening recorded them (facts, indicators, flags)."""
    facts = screening.facts
    values: dict[str, Any] = {
        "victim": _person(screening),
        "act_date": screening.act_date,
        "act_date_unknown": screening.act_date_unknown,
        "victim_date_of_birth": _date(facts.get("victim_date_of_birth")),
        "victim_age": facts.get("victim_age"),
        # An indicator both lists know (held against their will…) stays ticked if the person's age group changed.
        "adult_indicators": [code for code in screening.indicators if code in indicators.ADULT_INDICATORS],
        "child_indicators": [code for code in screening.indicators if code in indicators.CHILD_INDICATORS],
        "vulnerability": indicators.current_vulnerability_codes(screening.vulnerability),
        "vulnerability_kinds": list(screening.vulnerability_kinds),
        "vulnerability_factors": list(screening.vulnerability_factors),
        "suspect_age": facts.get("suspect_age"),
        "suspect_sane": {True: "yes", False: "no"}.get(facts.get("suspect_sane"), ""),
        # A "yes" carries over; "not known yet" is asked again. "No" carries for a child (an adult was not asked).
        "sexual_violence": "yes"
        if screening.sexual_violence
        else ("no" if screening.sexual_violence is False and screening.child else ""),
        "violence_against_women": screening.violence_against_women,
        "high_risk": screening.high_risk,
    }
    values.update({key: list(facts.get(key, [])) for key in FACT_LISTS})
    values.update({key: bool(facts.get(key)) for key in FACT_FLAGS})
    return values


def _sexual_violence(screening: Screening) -> str:
    """A "yes" carries over, and a child's "no"; "not known yet" is asked again; an adult was not asked."""
    if screening.sexual_violence:
        return "yes"
    return "no" if screening.sexual_violence is False and screening.child else ""


def _person(screening: Screening) -> str | None:
    if screening.victim_id is not None:
        return str(screening.victim_id)
    return NOT_IDENTIFIED if screening.person_not_identified else None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
