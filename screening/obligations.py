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
    "hotline_urgent": 1,  # a 1899 call marked urgent: the duty unit takes it up within the hour
    "hotline_normal": 24,  # any other 1899 call
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
    deadline_rule: str  # immediately | same_time | hours_after_incident | policy_hours | policy_immediately
    incident_time_unknown: bool = False


def obligations_for(context: ScreeningContext, policy_hours: dict[str, int] | None = None) -> list[DueItem]:
    """Return the obligations that follow from a screening, in the order the officer should act."""
    hours = {**DEFAULT_POLICY_HOURS, **(policy_hours or {})}
    now = context.screened_at
    items: list[DueItem] = []
    if context.high_risk:
        items.append(DueItem("protective_measures", now, HANDBOOK, "immediately"))
        if context.child:  # "police and the child-protection body must take immediate special measures"
            items.append(DueItem("refer_child_protection", now, HANDBOOK, "immediately"))
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


# -- routing: who each due item is for, who hears of it at once, and where a referral goes --------------------------
CASE_OFFICER = ""  # the officer responsible for the case (its assigned officer, else its author)


@dataclass(frozen=True)
class Route:
    """Where a due item goes: the role that must do it (in the case's unit), the roles told the moment it is created,
    and the kind of service a referral is drafted to (a recipient kind of the directory)."""

    addressee: str = CASE_OFFICER
    notify: tuple[str, ...] = ()
    refer_to: str = ""


# Role codes are those of accounts.roles.Role (a test checks it); this module stays free of Django.
ROUTES: dict[str, Route] = {
    # Safety first: the duty unit organises separation and shelter, the head is told (DOMAIN §9 "Safety").
    "protective_measures": Route(notify=("duty_officer", "supervisor")),
    "refer_child_protection": Route(refer_to="child_protection", notify=("duty_officer",)),
    # The head registers the rapport: told at once when it is due immediately (DOMAIN §7.10).
    "rapport_immediately": Route(notify=("supervisor",)),
    "health_information_72h": Route(),
    # A child with indicators: the referral, КИБ, the duty officer and the NGO "at the same time" (DOMAIN §7.8).
    "refer_child_social_services": Route(refer_to="social_protection"),
    "notify_kib": Route(addressee="kib_officer", notify=("kib_officer",)),
    "notify_duty_officer": Route(addressee="duty_officer", notify=("duty_officer",)),
    "inform_ngo": Route(refer_to="ngo"),
    # A foreign victim: the head decides; International Cooperation is informed on the head's instruction (§7.9).
    "intl_cooperation_decision": Route(addressee="supervisor", notify=("supervisor",)),
    "rapport_registration": Route(),
    "establish_act": Route(),
    "establish_means": Route(),
    "establish_purpose": Route(),
    # A 1899 call is an intake channel of the duty units (project policy, DOMAIN §6).
    "take_up_report": Route(addressee="duty_officer", notify=("duty_officer",)),
}

HOTLINE_URGENCIES = ("immediate", "urgent", "normal")


def route_of(code: str) -> Route:
    """Return the route of a due item; an unknown code is the case officer's, told to nobody."""
    return ROUTES.get(code, Route())


def take_up_item(received_at: datetime, urgency: str, policy_hours: dict[str, int] | None = None) -> DueItem:
    """Return the duty unit's item to take up a 1899 call: at once, within the urgent hours, or the normal ones.

    The handbook sets no time for it: every one of these deadlines is project policy.
    """
    hours = {**DEFAULT_POLICY_HOURS, **(policy_hours or {})}
    if urgency not in HOTLINE_URGENCIES:
        raise ValueError(f"unknown urgency {urgency!r}")
    if urgency == "immediate":
        return DueItem("take_up_report", received_at, PROJECT_POLICY, "policy_immediately")
    return DueItem(
        "take_up_report", received_at + timedelta(hours=hours[f"hotline_{urgency}"]), PROJECT_POLICY, "policy_hours"
    )
