"""What the officer must do after a screening (DOMAIN §7, §9): pure rules, no ORM and no settings.

The handbook's only time limits are "immediately", "at the same time", 72 hours (health information after sexual
violence against a child, counted from the incident) and 48 hours (a detention, not a deadline). Every other deadline
here is project policy, passed in as `policy_hours` so it can be configured, and marked as such. `basis` says whose
the *deadline* is, not whose the duty is: the notices go "at the same time" as a child's referral (handbook), but
that time is the referral's policy deadline, so they are project policy; so is the rapport, "without delay" in the
law, due within policy hours.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

HANDBOOK = "handbook"
PROJECT_POLICY = "project_policy"

# Verdicts that name a crime: its rapport is written and registered in the КБР like any other (DOMAIN §3.3, §10).
REGISTERED_VERDICTS = frozenset({"art_166", "art_167", "art_159_160"})

DEFAULT_POLICY_HOURS = {
    "child_referral": 24,  # the handbook sets no limit for the referral itself; notifications go at the same time
    "intl_cooperation_decision": 72,
    "rapport_registration": 24,  # CPC Art. 145: "without delay"
    "establish_elements": 72,  # the handbook sets no time to establish what a screening could not
}

# A screening that ends with an element missing asks the officer to establish it: one item per element.
ESTABLISH_ITEMS = {"act": "establish_act", "means": "establish_means", "purpose": "establish_purpose"}


@dataclass(frozen=True)
class ScreeningContext:
    """Facts of a saved screening and its case that decide the obligations."""

    verdict: str
    child: bool
    child_indicators: bool
    foreign_victim: bool
    violence_against_women: bool
    sexual_violence: bool
    high_risk: bool
    screened_at: datetime
    incident_at: datetime | None
    missing: tuple[str, ...] = ()  # the elements the screening could not establish (act, means, purpose)


# Obligations whose deadline counts from the incident: recomputed when the incident time is entered or corrected.
INCIDENT_CLOCK = frozenset({"health_information_72h"})

# Notices, information and referrals are marked done only with a note of what was done: to whom, which document.
NOTE_REQUIRED_PREFIXES = ("notify_", "inform_", "refer_")

# The officer's step each obligation stands for: the case page lists it once, as the obligation, and marking the
# obligation done records the step with it.
STEP_OF_OBLIGATION = {"rapport_registration": "write_rapport", "rapport_immediately": "write_rapport"}


def note_required(code: str) -> bool:
    """Whether marking the obligation done needs a note of what was done."""
    return code.startswith(NOTE_REQUIRED_PREFIXES)


@dataclass(frozen=True)
class DueItem:
    """One obligation: a code, when it is due, and whether the deadline is the handbook's or the project's."""

    code: str
    due_at: datetime | None
    basis: str
    deadline_rule: str  # immediately | same_time | hours_after_incident | policy_hours
    incident_time_unknown: bool = False


def obligations_for(context: ScreeningContext, policy_hours: dict[str, int] | None = None) -> list[DueItem]:
    """Return the obligations that follow from a screening, in the order the officer should act."""
    hours = {**DEFAULT_POLICY_HOURS, **(policy_hours or {})}
    now = context.screened_at
    items: list[DueItem] = []
    if context.high_risk:
        items.append(DueItem("protective_measures", now, HANDBOOK, "immediately"))
    if context.violence_against_women:
        items.append(DueItem("rapport_immediately", now, HANDBOOK, "immediately"))
    if context.child and context.sexual_violence:
        items.append(_health_information(context))
    if context.child and (context.child_indicators or context.verdict == "art_167"):
        referral_due = now + timedelta(hours=hours["child_referral"])
        items.append(DueItem("refer_child_social_services", referral_due, PROJECT_POLICY, "policy_hours"))
        for code in ("notify_kib", "notify_duty_officer", "inform_ngo"):
            items.append(DueItem(code, referral_due, PROJECT_POLICY, "same_time"))
    if context.foreign_victim:
        due = now + timedelta(hours=hours["intl_cooperation_decision"])
        items.append(DueItem("intl_cooperation_decision", due, PROJECT_POLICY, "policy_hours"))
    if context.verdict in REGISTERED_VERDICTS and not context.violence_against_women:
        due = now + timedelta(hours=hours["rapport_registration"])
        items.append(DueItem("rapport_registration", due, PROJECT_POLICY, "policy_hours"))
    if context.verdict == "elements_not_established":  # not "nothing to do": what is missing must be established
        due = now + timedelta(hours=hours["establish_elements"])
        for element, code in ESTABLISH_ITEMS.items():
            if element in context.missing:
                items.append(DueItem(code, due, PROJECT_POLICY, "policy_hours"))
    return items


def establish_items_settled(missing: tuple[str, ...] | list[str]) -> set[str]:
    """Return the establish items a later screening settles: those of the elements it no longer misses."""
    return {code for element, code in ESTABLISH_ITEMS.items() if element not in missing}


def recomputed_for_incident(context: ScreeningContext, policy_hours: dict[str, int] | None = None) -> list[DueItem]:
    """Return the items of a screening whose deadline counts from the incident, for `context.incident_at`.

    The other deadlines count from the screening and stay as they were, even if the policy hours changed since.
    """
    return [item for item in obligations_for(context, policy_hours) if item.code in INCIDENT_CLOCK]


def _health_information(context: ScreeningContext) -> DueItem:
    """Return the 72-hour item: 72 hours after the incident; due at once while the incident time is unknown.

    Prevention of STIs, HIV and pregnancy works only within 72 hours of the assault (handbook): without the time of
    the incident nobody knows how much of it is left, so the information cannot wait.
    """
    if context.incident_at is None:
        return DueItem("health_information_72h", context.screened_at, HANDBOOK, "immediately", True)
    return DueItem(
        "health_information_72h", context.incident_at + timedelta(hours=72), HANDBOOK, "hours_after_incident"
    )
