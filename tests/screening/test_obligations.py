"""The obligations that follow a screening (DOMAIN §7, §9; ARCHITECTURE §5): pure rules, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from screening.obligations import (
    DEFAULT_POLICY_HOURS,
    HANDBOOK,
    PROJECT_POLICY,
    ROUTES,
    DueItem,
    Route,
    ScreeningContext,
    establish_items_settled,
    obligations_for,
    recomputed_for_incident,
    route_of,
    take_up_item,
)

SCREENED = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
INCIDENT = datetime(2025, 3, 8, 22, 15, tzinfo=UTC)
CHILD_REFERRAL = DEFAULT_POLICY_HOURS["child_referral"]
INTL_DECISION = DEFAULT_POLICY_HOURS["intl_cooperation_decision"]
RAPPORT = DEFAULT_POLICY_HOURS["rapport_registration"]
CHILD_GROUP = ("refer_child_social_services", "notify_kib", "notify_duty_officer", "inform_ngo")

NOTHING = ScreeningContext(
    verdict="elements_not_established",
    child=False,
    child_indicators=False,
    foreign_victim=False,
    violence_against_women=False,
    sexual_violence=False,
    high_risk=False,
    screened_at=SCREENED,
    incident_at=None,
)


def context(**changes) -> ScreeningContext:
    return replace(NOTHING, **changes)


def hours_after_screening(hours: int) -> datetime:
    return SCREENED + timedelta(hours=hours)


def child_group(due: datetime) -> list[DueItem]:
    """The referral and the three notifications "at the same time" (handbook): all due at the policy deadline."""
    return [
        DueItem("refer_child_social_services", due, PROJECT_POLICY, "policy_hours"),
        DueItem("notify_kib", due, PROJECT_POLICY, "same_time"),
        DueItem("notify_duty_officer", due, PROJECT_POLICY, "same_time"),
        DueItem("inform_ngo", due, PROJECT_POLICY, "same_time"),
    ]


def rapport_registration(hours: int = RAPPORT) -> DueItem:
    return DueItem("rapport_registration", hours_after_screening(hours), PROJECT_POLICY, "policy_hours")


ESTABLISH = DEFAULT_POLICY_HOURS["establish_elements"]


def establish(*elements: str, hours: int = ESTABLISH) -> list[DueItem]:
    """The project-policy items asking the officer to establish what the screening could not."""
    return [
        DueItem(f"establish_{element}", hours_after_screening(hours), PROJECT_POLICY, "policy_hours")
        for element in elements
    ]


RULES = [
    pytest.param(context(missing=("means",)), establish("means"), id="adult_without_a_means_is_asked_to_establish_it"),
    pytest.param(
        context(missing=("act", "means", "purpose")),
        establish("act", "means", "purpose"),
        id="every_missing_element_is_a_due_item_of_its_own",
    ),
    pytest.param(
        context(child=True, missing=("act", "purpose")),
        establish("act", "purpose"),
        id="child_missing_the_act_and_purpose_is_asked_for_both",
    ),
    pytest.param(
        context(child=True, child_indicators=True, missing=("purpose",)),
        [*child_group(hours_after_screening(CHILD_REFERRAL)), *establish("purpose")],
        id="child_with_indicators_and_no_purpose_yet_is_referred_and_asked_for_the_purpose",
    ),
    pytest.param(
        context(verdict="not_trafficking", missing=("purpose",)),
        [],
        id="not_trafficking_is_a_conclusion_not_an_element_to_establish",
    ),
    pytest.param(context(verdict="not_trafficking"), [], id="not_trafficking_gets_nothing"),
    pytest.param(context(verdict="art_159_160"), [rapport_registration()], id="art_159_160_is_a_crime_to_register_too"),
    pytest.param(
        context(verdict="art_159_160", violence_against_women=True),
        [DueItem("rapport_immediately", SCREENED, HANDBOOK, "immediately")],
        id="art_159_160_with_violence_against_a_woman_gets_the_rapport_immediately",
    ),
    pytest.param(context(verdict="art_166"), [rapport_registration()], id="adult_art_166_gets_rapport_by_policy"),
    pytest.param(
        context(child=True, child_indicators=True),
        child_group(hours_after_screening(CHILD_REFERRAL)),
        id="child_with_indicators_is_referred_and_three_are_told_at_the_same_time",
    ),
    pytest.param(
        context(verdict="art_167", child=True, child_indicators=False),
        [*child_group(hours_after_screening(CHILD_REFERRAL)), rapport_registration()],
        id="child_with_art_167_and_no_indicator_ticked_is_referred_too",
    ),
    pytest.param(
        context(verdict="art_167", child=True, child_indicators=True),
        [*child_group(hours_after_screening(CHILD_REFERRAL)), rapport_registration()],
        id="child_with_art_167_and_indicators_gets_the_group_once",
    ),
    pytest.param(
        context(child=True, child_indicators=False), [], id="child_without_indicators_or_art_167_is_not_referred"
    ),
    pytest.param(
        context(verdict="art_166", child=False, child_indicators=True),
        [rapport_registration()],
        id="adult_with_indicators_gets_no_child_referral",
    ),
    pytest.param(
        context(foreign_victim=True),
        [DueItem("intl_cooperation_decision", hours_after_screening(INTL_DECISION), PROJECT_POLICY, "policy_hours")],
        id="foreign_victim_gets_the_heads_decision_on_intl_cooperation",
    ),
    pytest.param(
        context(violence_against_women=True),
        [DueItem("rapport_immediately", SCREENED, HANDBOOK, "immediately")],
        id="violence_against_women_gets_the_rapport_immediately",
    ),
    pytest.param(
        context(verdict="art_166", violence_against_women=True),
        [DueItem("rapport_immediately", SCREENED, HANDBOOK, "immediately")],
        id="violence_against_women_replaces_the_policy_rapport_deadline",
    ),
    pytest.param(
        context(high_risk=True),
        [DueItem("protective_measures", SCREENED, HANDBOOK, "immediately")],
        id="high_risk_gets_protective_measures_immediately",
    ),
    pytest.param(
        context(child=True, sexual_violence=True, incident_at=INCIDENT),
        [DueItem("health_information_72h", INCIDENT + timedelta(hours=72), HANDBOOK, "hours_after_incident")],
        id="child_sexual_violence_gets_health_information_72h_after_the_incident",
    ),
    pytest.param(
        context(child=True, sexual_violence=True, incident_at=None),
        [DueItem("health_information_72h", SCREENED, HANDBOOK, "immediately", incident_time_unknown=True)],
        id="child_sexual_violence_with_unknown_incident_is_due_immediately_and_says_so",
    ),
    pytest.param(
        context(child=False, sexual_violence=True, incident_at=INCIDENT),
        [],
        id="sexual_violence_against_an_adult_is_not_the_childs_72_hours",
    ),
]


@pytest.mark.parametrize(("screening", "expected"), RULES)
def test_obligations_follow_from_the_screening(screening, expected):
    assert obligations_for(screening) == expected


def test_everything_at_once_comes_in_the_order_the_officer_should_act():
    # given a foreign girl at high risk, sexually abused, with indicators and an Art. 167 verdict
    screening = context(
        verdict="art_167",
        child=True,
        child_indicators=True,
        foreign_victim=True,
        violence_against_women=True,
        sexual_violence=True,
        high_risk=True,
        incident_at=INCIDENT,
    )

    codes = [item.code for item in obligations_for(screening)]

    # then safety comes first, the rapport is immediate and there is no second rapport deadline
    assert codes == [
        "protective_measures",
        "refer_child_protection",
        "rapport_immediately",
        "health_information_72h",
        *CHILD_GROUP,
        "intl_cooperation_decision",
    ]


def test_the_72_hours_run_from_the_incident_not_from_the_screening_even_when_screened_days_later():
    incident = SCREENED - timedelta(days=5)
    (item,) = obligations_for(context(child=True, sexual_violence=True, incident_at=incident))

    assert item.due_at == incident + timedelta(hours=72)
    assert item.due_at < SCREENED  # already overdue when screened: the clock did not restart
    assert item.incident_time_unknown is False


def test_the_notifications_are_due_exactly_when_the_referral_is():
    items = {item.code: item for item in obligations_for(context(child=True, child_indicators=True))}

    referral_due = items["refer_child_social_services"].due_at
    assert {items[code].due_at for code in CHILD_GROUP} == {referral_due}
    assert referral_due == SCREENED + timedelta(hours=CHILD_REFERRAL)


@pytest.mark.parametrize(
    ("screening", "policy_hours", "code", "due_at"),
    [
        pytest.param(
            context(child=True, child_indicators=True),
            {"child_referral": 6},
            "refer_child_social_services",
            SCREENED + timedelta(hours=6),
            id="child_referral",
        ),
        pytest.param(
            context(child=True, child_indicators=True),
            {"child_referral": 6},
            "notify_kib",
            SCREENED + timedelta(hours=6),
            id="notifications_follow_the_referral",
        ),
        pytest.param(
            context(foreign_victim=True),
            {"intl_cooperation_decision": 12},
            "intl_cooperation_decision",
            SCREENED + timedelta(hours=12),
            id="intl_cooperation_decision",
        ),
        pytest.param(
            context(verdict="art_166"),
            {"rapport_registration": 2},
            "rapport_registration",
            SCREENED + timedelta(hours=2),
            id="rapport_registration",
        ),
        pytest.param(
            context(missing=("act", "means")),
            {"establish_elements": 5},
            "establish_means",
            SCREENED + timedelta(hours=5),
            id="establish_elements",
        ),
    ],
)
def test_custom_policy_hours_override_the_defaults(screening, policy_hours, code, due_at):
    items = {item.code: item for item in obligations_for(screening, policy_hours)}

    assert items[code].due_at == due_at


def test_a_partial_policy_override_keeps_the_other_defaults():
    screening = context(verdict="art_167", child=True, foreign_victim=True)

    items = {item.code: item for item in obligations_for(screening, {"rapport_registration": 1})}

    assert items["rapport_registration"].due_at == SCREENED + timedelta(hours=1)
    assert items["refer_child_social_services"].due_at == SCREENED + timedelta(hours=CHILD_REFERRAL)
    assert items["intl_cooperation_decision"].due_at == SCREENED + timedelta(hours=INTL_DECISION)


def test_policy_hours_do_not_move_the_handbooks_deadlines():
    screening = context(
        child=True, sexual_violence=True, high_risk=True, violence_against_women=True, incident_at=INCIDENT
    )
    overrides = {
        "child_referral": 1,
        "intl_cooperation_decision": 1,
        "rapport_registration": 1,
        "establish_elements": 1,
    }

    assert obligations_for(screening, overrides) == obligations_for(screening)


def test_only_handbook_deadlines_are_marked_handbook():
    screening = context(
        verdict="art_167",
        child=True,
        child_indicators=True,
        foreign_victim=True,
        sexual_violence=True,
        high_risk=True,
        incident_at=INCIDENT,
    )

    items = obligations_for(screening)

    policy = {(item.code, item.deadline_rule) for item in items if item.basis == PROJECT_POLICY}
    assert policy == {
        ("refer_child_social_services", "policy_hours"),
        ("notify_kib", "same_time"),
        ("notify_duty_officer", "same_time"),
        ("inform_ngo", "same_time"),
        ("intl_cooperation_decision", "policy_hours"),
        ("rapport_registration", "policy_hours"),
    }
    assert {item.deadline_rule for item in items if item.basis == HANDBOOK} == {"immediately", "hours_after_incident"}


FLAGS = ("child", "child_indicators", "foreign_victim", "violence_against_women", "sexual_violence", "high_risk")


@pytest.mark.parametrize(
    "verdict", ["art_166", "art_167", "art_159_160", "elements_not_established", "not_trafficking"]
)
@pytest.mark.parametrize("incident_at", [INCIDENT, None], ids=["incident_known", "incident_unknown"])
def test_a_deadline_is_labelled_handbook_only_when_the_handbook_sets_it(verdict, incident_at):
    # every combination of the flags: a deadline the project chose (policy hours, or "at the same time" as a referral
    # whose deadline is policy) is project policy even when the duty itself is in the handbook
    for mask in range(2 ** len(FLAGS)):
        flags = {flag: bool(mask >> bit & 1) for bit, flag in enumerate(FLAGS)}
        missing = () if verdict in ("art_166", "art_167", "art_159_160") else ("act", "means", "purpose")
        items = obligations_for(context(verdict=verdict, incident_at=incident_at, missing=missing, **flags))

        for item in items:
            handbook_deadline = item.deadline_rule in ("immediately", "hours_after_incident")
            assert (item.basis == HANDBOOK) == handbook_deadline, (item, flags)
            assert (item.basis == PROJECT_POLICY) == (item.deadline_rule in ("policy_hours", "same_time")), item


# -- the incident time entered or corrected after the screening --------------------------------------------------------

EVERYTHING_FOR_A_CHILD = context(
    verdict="art_167", child=True, child_indicators=True, foreign_victim=True, sexual_violence=True, high_risk=True
)


@pytest.mark.parametrize(
    ("incident_at", "expected"),
    [
        pytest.param(
            INCIDENT,
            DueItem("health_information_72h", INCIDENT + timedelta(hours=72), HANDBOOK, "hours_after_incident"),
            id="entered",
        ),
        pytest.param(
            SCREENED - timedelta(days=6),
            DueItem("health_information_72h", SCREENED - timedelta(days=3), HANDBOOK, "hours_after_incident"),
            id="entered_long_before_the_screening",
        ),
        pytest.param(
            None,
            DueItem("health_information_72h", SCREENED, HANDBOOK, "immediately", incident_time_unknown=True),
            id="removed",
        ),
    ],
)
def test_only_the_deadlines_counted_from_the_incident_are_recomputed(incident_at, expected):
    items = recomputed_for_incident(replace(EVERYTHING_FOR_A_CHILD, incident_at=incident_at))

    assert items == [expected]


def test_nothing_counts_from_the_incident_without_sexual_violence_against_a_child():
    assert recomputed_for_incident(context(verdict="art_166", high_risk=True, incident_at=INCIDENT)) == []


def test_policy_hours_are_not_recomputed_when_the_incident_changes():
    # a later change of POLICY_*_HOURS must not move open deadlines as a side effect of an incident edit
    items = recomputed_for_incident(replace(EVERYTHING_FOR_A_CHILD, incident_at=INCIDENT), {"child_referral": 1})

    assert [item.code for item in items] == ["health_information_72h"]


# -- elements established by a later screening -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "settled"),
    [
        pytest.param((), {"establish_act", "establish_means", "establish_purpose"}, id="a_verdict_settles_all"),
        pytest.param(("means",), {"establish_act", "establish_purpose"}, id="still_no_means"),
        pytest.param(("act", "means", "purpose"), set(), id="nothing_settled"),
    ],
)
def test_a_later_screening_settles_the_items_of_the_elements_it_no_longer_misses(missing, settled):
    assert establish_items_settled(missing) == settled


# -- routing: who each item is for, who hears of it at once, where a referral goes (DOMAIN §7–9) ----------------------
ROUTING = [
    # code, addressee ("" = the case's officer), roles told at once, kind of referral drafted
    ("protective_measures", "", ("duty_officer", "supervisor"), ""),
    ("refer_child_protection", "", ("duty_officer",), "child_protection"),
    ("rapport_immediately", "", ("supervisor",), ""),
    ("health_information_72h", "", (), ""),
    ("refer_child_social_services", "", (), "social_protection"),
    ("notify_kib", "kib_officer", ("kib_officer",), ""),
    ("notify_duty_officer", "duty_officer", ("duty_officer",), ""),
    ("inform_ngo", "", (), "ngo"),
    ("intl_cooperation_decision", "supervisor", ("supervisor",), ""),
    ("rapport_registration", "", (), ""),
    ("establish_act", "", (), ""),
    ("establish_means", "", (), ""),
    ("establish_purpose", "", (), ""),
    ("take_up_report", "duty_officer", ("duty_officer",), ""),
]


@pytest.mark.parametrize(("code", "addressee", "notify", "refer_to"), ROUTING, ids=[row[0] for row in ROUTING])
def test_each_due_item_goes_where_the_handbook_sends_it(code, addressee, notify, refer_to):
    assert route_of(code) == Route(addressee=addressee, notify=notify, refer_to=refer_to)


def test_every_item_the_rules_can_make_has_a_route_and_every_route_is_in_the_table():
    every_context = context(
        verdict="art_167", child=True, child_indicators=True, foreign_victim=True, violence_against_women=True,
        sexual_violence=True, high_risk=True, incident_at=INCIDENT,
    )  # fmt: skip
    made = {item.code for item in obligations_for(every_context)}
    made |= {item.code for item in obligations_for(context(verdict="art_166"))}
    made |= {item.code for item in obligations_for(context(missing=("act", "means", "purpose")))}
    made.add(take_up_item(SCREENED, "normal").code)
    assert made == set(ROUTES) == {row[0] for row in ROUTING}


def test_the_roles_of_the_routes_are_roles_of_the_project():
    from accounts.roles import Role

    roles = {r for route in ROUTES.values() for r in (route.addressee, *route.notify) if r}
    assert roles <= set(Role.values)


def test_a_child_at_high_risk_goes_to_the_child_protection_body_at_once_an_adult_does_not():
    child = [i for i in obligations_for(context(child=True, high_risk=True)) if i.code == "refer_child_protection"]
    adult = [i for i in obligations_for(context(child=False, high_risk=True)) if i.code == "refer_child_protection"]

    assert child == [DueItem("refer_child_protection", SCREENED, HANDBOOK, "immediately")]
    assert adult == []


def test_a_child_without_high_risk_is_not_sent_to_the_child_protection_body():
    codes = [i.code for i in obligations_for(context(child=True, child_indicators=True, verdict="art_167"))]

    assert "refer_child_protection" not in codes


@pytest.mark.parametrize(
    ("urgency", "due", "rule"),
    [
        ("immediate", SCREENED, "policy_immediately"),
        ("urgent", SCREENED + timedelta(hours=DEFAULT_POLICY_HOURS["hotline_urgent"]), "policy_hours"),
        ("normal", SCREENED + timedelta(hours=DEFAULT_POLICY_HOURS["hotline_normal"]), "policy_hours"),
    ],
)
def test_a_1899_call_is_taken_up_by_the_duty_unit_on_a_project_policy_deadline(urgency, due, rule):
    assert take_up_item(SCREENED, urgency) == DueItem("take_up_report", due, PROJECT_POLICY, rule)


def test_the_1899_deadlines_are_configurable():
    item = take_up_item(SCREENED, "urgent", {"hotline_urgent": 3})

    assert item.due_at == SCREENED + timedelta(hours=3)


def test_an_unknown_urgency_is_refused():
    with pytest.raises(ValueError, match="urgency"):
        take_up_item(SCREENED, "whenever")
