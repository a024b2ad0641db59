"""Properties of the qualification engine that must hold for any facts, checked with hypothesis."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.qualification import (
    ACTS,
    ELEMENTS,
    INPUT_KEYS,
    MEANS,
    POLICY_RULES,
    PURPOSES,
    TRAFFICKING_VERDICTS,
    VERDICTS,
    WARNINGS,
    QualificationInputError,
    qualify,
)
from screening.qualification_texts import LANGUAGES

TODAY = date(2025, 1, 15)
ARTICLES_BY_VERDICT = {
    "art_166": (["166"], ["166", "166.2.5"]),
    "art_167": (["167"],),
    "art_159_160": (["159", "160"],),
    "elements_not_established": ([],),
    "not_trafficking": ([],),
}
MEANS_AND_CONSENT_KEYS = (
    "means",
    "free_consent_prostitution",
    "foreseen_slave_like_dependency",
    "vulnerability_evidenced",
    "vulnerability_abuse_evidenced",
)
VICTIM_KEYS = ("victim_age", "victim_date_of_birth", "appears_minor")
ALL_CODES = (*ACTS, *MEANS, *PURPOSES)
DATES = st.dates(min_value=date(1960, 1, 1), max_value=TODAY)  # an act cannot lie in the future


def codes(pool: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """Draw a list of codes from `pool`, duplicates allowed."""
    return st.lists(st.sampled_from(pool), max_size=len(pool) + 1)


MEANS_AND_CONSENT = st.fixed_dictionaries(
    {},
    optional={
        "means": codes(MEANS),
        "free_consent_prostitution": st.booleans(),
        "foreseen_slave_like_dependency": st.booleans(),
        "vulnerability_evidenced": st.booleans(),
        "vulnerability_abuse_evidenced": st.booleans(),
    },
)


@st.composite
def valid_facts(draw: st.DrawFn) -> dict[str, Any]:
    """Draw well-formed facts: every key optional, the date of birth never after the act."""
    facts = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "victim_age": st.integers(0, 150),
                "appears_minor": st.booleans(),
                "acts": codes(ACTS),
                "purposes": codes(PURPOSES),
                "exploitation_occurred": codes(PURPOSES),
                "moved_across_kr_border": st.booleans(),
                "crossed_border": st.booleans(),
                "illegal_border_crossing": st.booleans(),
                "suspect_age": st.integers(0, 150),
                "suspect_sane": st.booleans(),
            },
        )
    )
    facts.update(draw(MEANS_AND_CONSENT))
    act_date = draw(st.one_of(st.none(), DATES))
    if act_date is not None:
        facts["act_date"] = act_date.isoformat()
    if draw(st.booleans()):
        latest = act_date or TODAY
        facts["victim_date_of_birth"] = draw(st.dates(min_value=date(1900, 1, 1), max_value=latest)).isoformat()
    return facts


@st.composite
def child_facts(draw: st.DrawFn) -> dict[str, Any]:
    """Draw facts of a victim under 18 at the act, by stated age, date of birth or appearance."""
    facts = {key: value for key, value in draw(valid_facts()).items() if key not in VICTIM_KEYS}
    how = draw(st.sampled_from(("stated_age", "date_of_birth", "appearance")))
    if how == "stated_age":
        facts["victim_age"] = draw(st.integers(0, 17))
    elif how == "appearance":
        facts["appears_minor"] = True
    else:
        act_date = draw(DATES)
        facts["act_date"] = act_date.isoformat()
        facts["victim_date_of_birth"] = (act_date - timedelta(days=draw(st.integers(0, 17 * 365)))).isoformat()
    return facts


@st.composite
def adult_facts(draw: st.DrawFn) -> dict[str, Any]:
    """Draw facts of a victim aged 18 or over at the act, by stated age or date of birth."""
    facts = {key: value for key, value in draw(valid_facts()).items() if key not in VICTIM_KEYS}
    if draw(st.booleans()):
        facts["victim_age"] = draw(st.integers(18, 150))
    else:
        act_date = draw(DATES)
        facts["act_date"] = act_date.isoformat()
        born = act_date - timedelta(days=draw(st.integers(19 * 366, 90 * 366)))
        facts["victim_date_of_birth"] = max(born, date(1900, 1, 1)).isoformat()  # an earlier birth is an input error
    facts["appears_minor"] = draw(st.booleans())
    return facts


def run(facts: Any, language: Any = "en") -> Any:
    """Qualify with a fixed 'today' so that examples replay identically."""
    return qualify(facts, language, today=TODAY)


def outcome(result: dict[str, Any]) -> tuple[Any, ...]:
    """Return the legal outcome of a result, without the texts and warnings."""
    return result["verdict"], result["articles"], result["missing"], result["child"]


def in_order(items: list[str], order: tuple[str, ...]) -> bool:
    """Tell whether `items` are distinct codes of `order`, in that order."""
    return items == [code for code in order if code in items]


def assert_well_formed(result: dict[str, Any]) -> None:
    """Check that a result holds only known codes, in their order, and agrees with itself."""
    assert result["verdict"] in VERDICTS
    assert result["articles"] in [list(articles) for articles in ARTICLES_BY_VERDICT[result["verdict"]]]
    assert in_order(result["missing"], ELEMENTS)
    assert in_order(result["warnings"], WARNINGS)
    assert in_order(result["policy_rules"], POLICY_RULES)
    assert isinstance(result["child"], bool)
    assert result["age"] is None or (isinstance(result["age"], int) and result["age"] >= 0)
    assert isinstance(result["explanation"], str) and result["explanation"].strip()
    if result["verdict"] in (*TRAFFICKING_VERDICTS, "art_159_160"):
        assert result["missing"] == []
    else:
        assert result["missing"]
    if result["child"]:
        assert "means" not in result["missing"]
        assert result["verdict"] != "art_159_160"
    assert (result["verdict"] == "art_167") == (result["child"] and result["verdict"] in TRAFFICKING_VERDICTS)
    assert (result["verdict"] == "not_trafficking") == ("possible_migrant_smuggling" in result["warnings"])
    if "cumulative_exploitation" in result["warnings"]:
        # The exploitation crime is qualified in addition to trafficking, so only beside a trafficking verdict.
        assert result["verdict"] in TRAFFICKING_VERDICTS


@settings(deadline=None)
@given(child_facts(), MEANS_AND_CONSENT)
def test_a_childs_verdict_never_depends_on_means_or_consent(facts: dict[str, Any], variation: dict[str, Any]) -> None:
    without = {key: value for key, value in facts.items() if key not in MEANS_AND_CONSENT_KEYS}

    before, after = run(without), run({**without, **variation})

    assert before["child"] is True
    assert outcome(after) == outcome(before)


@settings(deadline=None)
@given(adult_facts(), st.sampled_from(MEANS))
def test_adding_a_means_that_counts_to_an_adult_case_never_weakens_it(facts: dict[str, Any], means: str) -> None:
    # A means counts unless it is abuse of vulnerability without both evidence flags.
    facts = {**facts, "vulnerability_evidenced": True, "vulnerability_abuse_evidenced": True}
    with_means = {**facts, "means": [*facts.get("means", []), means]}

    before, after = run(facts), run(with_means)

    assert "means" not in after["missing"]
    assert set(after["missing"]) <= set(before["missing"])
    if before["verdict"] in ("art_166", "art_159_160"):
        # Art. 159/160 needs "no means": once a means is used the consent is irrelevant and it becomes Art. 166.
        assert after["verdict"] == "art_166"
    if before["verdict"] == "art_166":
        assert after["articles"] == before["articles"]
    if before["verdict"] == "not_trafficking":
        assert after["verdict"] == "not_trafficking"


OTHER_EXPLOITATION = tuple(code for code in PURPOSES if code != "sexual_exploitation")
ONLY_FOR_PROSTITUTION = {
    "en": "only for prostitution",
    "ru": "только для занятия проституцией",
    "ky": "сойкулук менен алектенүүгө гана",
}


def purposes_of(facts: dict[str, Any]) -> set[str]:
    """Return the purposes the facts show: stated, or proven by exploitation carried out."""
    return {*facts.get("purposes", []), *facts.get("exploitation_occurred", [])}


@settings(deadline=None)
@given(valid_facts())
def test_art_159_160_only_when_prostitution_is_the_whole_story(facts: dict[str, Any]) -> None:
    result = run(facts)

    if result["verdict"] == "art_159_160":
        assert purposes_of(facts) == {"sexual_exploitation"}
        assert facts.get("free_consent_prostitution") is True
        assert not facts.get("foreseen_slave_like_dependency")


@settings(deadline=None)
@given(
    adult_facts(),
    st.sampled_from(OTHER_EXPLOITATION),
    st.sampled_from(("purposes", "exploitation_occurred")),
    st.booleans(),
)
def test_another_purpose_or_exploitation_turns_art_159_160_into_a_trafficking_case_lacking_the_means(
    facts: dict[str, Any], other: str, key: str, prostitution_carried_out: bool
) -> None:
    # given an adult recruited for prostitution only, with free consent and no means: Art. 159/160
    facts = {
        **facts,
        "acts": facts.get("acts") or ["recruitment"],
        "purposes": ["sexual_exploitation"],
        "exploitation_occurred": ["sexual_exploitation"] if prostitution_carried_out else [],
        "free_consent_prostitution": True,
        "foreseen_slave_like_dependency": False,
        "means": [],
    }
    assert run(facts)["verdict"] == "art_159_160"

    # when another purpose is recorded, or another exploitation carried out
    result = run({**facts, key: [*facts[key], other]})

    # then it is judged as trafficking: an adult without a means lacks exactly the means
    assert (result["verdict"], result["missing"]) == ("elements_not_established", ["means"])
    assert "cumulative_exploitation" not in result["warnings"]


@settings(deadline=None)
@given(valid_facts())
def test_only_art_159_160_says_the_recruitment_was_only_for_prostitution(facts: dict[str, Any]) -> None:
    for language in LANGUAGES:
        result = run(facts, language)

        said_only = ONLY_FOR_PROSTITUTION[language] in result["explanation"]
        assert said_only == (result["verdict"] == "art_159_160")


@settings(deadline=None)
@given(adult_facts())
def test_an_unproven_abuse_of_vulnerability_changes_no_adult_outcome_but_is_warned(facts: dict[str, Any]) -> None:
    facts = {**facts, "vulnerability_evidenced": False}
    with_abuse = {**facts, "means": [*facts.get("means", []), "abuse_of_vulnerability"]}
    without_abuse = {**facts, "means": [m for m in facts.get("means", []) if m != "abuse_of_vulnerability"]}

    result = run(with_abuse)

    assert outcome(result) == outcome(run(without_abuse))
    assert "vulnerability_abuse_unproven" in result["warnings"]


@settings(deadline=None)
@given(valid_facts(), st.sampled_from(LANGUAGES), st.randoms(use_true_random=False))
def test_output_is_deterministic_whatever_the_order_of_codes(
    facts: dict[str, Any], language: str, rnd: random.Random
) -> None:
    shuffled = {
        key: rnd.sample(value, len(value)) if isinstance(value, list) else value for key, value in facts.items()
    }
    shuffled = dict(rnd.sample(list(shuffled.items()), len(shuffled)))

    assert repr(run(facts, language)) == repr(run(facts, language)) == repr(run(shuffled, language))


@settings(deadline=None)
@given(valid_facts())
def test_output_holds_only_known_codes_and_an_explanation_in_every_language(facts: dict[str, Any]) -> None:
    results = [run(facts, language) for language in LANGUAGES]

    for result in results:
        assert_well_formed(result)
    assert len({repr({k: v for k, v in r.items() if k != "explanation"}) for r in results}) == 1
    assert len({r["explanation"] for r in results}) == len(LANGUAGES)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(),
    st.sampled_from(("2024-06-01", "2006-06-01", "2024-02-30", "0000-01-01", "9999-12-31", "2024-06-01T00:00")),
    st.sampled_from(ALL_CODES),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.one_of(st.sampled_from(INPUT_KEYS), st.text(max_size=12), st.integers(), st.none())
ANY_FACTS = st.one_of(
    st.dictionaries(KEYS, VALUES, max_size=8),
    st.dictionaries(st.sampled_from(INPUT_KEYS), VALUES, max_size=8),
    valid_facts(),
    VALUES,
)
ANY_LANGUAGE = st.one_of(st.sampled_from(LANGUAGES), st.text(max_size=3), st.none(), st.integers())


IMPLAUSIBLE_DATES = (date(1, 1, 1), date(1899, 12, 31), TODAY + timedelta(days=1), date(9999, 12, 31))


@settings(deadline=None)
@given(valid_facts(), st.sampled_from(("act_date", "victim_date_of_birth")), st.sampled_from(IMPLAUSIBLE_DATES))
def test_a_date_before_1900_or_after_today_is_a_field_error_of_that_date(
    facts: dict[str, Any], key: str, wrong: date
) -> None:
    facts = {k: v for k, v in facts.items() if k not in ("act_date", "victim_date_of_birth")}

    with pytest.raises(QualificationInputError) as raised:
        run({**facts, key: wrong.isoformat()})

    assert list(raised.value.errors) == [key]


@settings(deadline=None, max_examples=300)
@given(ANY_FACTS, ANY_LANGUAGE)
def test_qualify_raises_nothing_but_input_errors_for_arbitrary_input(facts: Any, language: Any) -> None:
    try:
        result = run(facts, language)
    except QualificationInputError as error:
        assert error.errors
        for field, messages in error.errors.items():
            assert isinstance(field, str)
            assert messages and all(isinstance(message, str) and message for message in messages)
    else:
        assert_well_formed(result)
