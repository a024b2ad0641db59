"""The qualification engine: every rule of DOMAIN.md §3 and the contract of ARCHITECTURE.md §4, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from screening import qualification as qualification_module
from screening.qualification import (
    ACTS,
    ELEMENTS,
    INPUT_KEYS,
    LABELS,
    MEANS,
    POLICY_RULES,
    PURPOSES,
    VERDICTS,
    WARNINGS,
    QualificationInputError,
    age_at,
    birthday_in,
    label,
    qualify,
    today_in_bishkek,
)
from screening.qualification_texts import LANGUAGES, TEXTS, WARNING_SENTENCES

TODAY = date(2025, 1, 15)
ACT_DATE = "2024-06-01"
ADULT = {"act_date": ACT_DATE, "victim_age": 25}
CHILD = {"act_date": ACT_DATE, "victim_age": 15}
RECRUITED_FOR_SEX = {"acts": ["recruitment"], "purposes": ["sexual_exploitation"]}
BOTH_EVIDENCED = {"vulnerability_evidenced": True, "vulnerability_abuse_evidenced": True}
FULL_ADULT_CASE = {**ADULT, **RECRUITED_FOR_SEX, "means": ["deception"]}
FREE_CONSENT = {**RECRUITED_FOR_SEX, "free_consent_prostitution": True}
POLICY_MARK = {"en": "project policy", "ru": "правило системы", "ky": "системанын эрежеси"}


def run(facts: dict[str, Any], language: str = "en") -> Any:
    """Qualify with a fixed 'today' so that defaults are reproducible."""
    return qualify(facts, language, today=TODAY)


def case(
    facts: dict[str, Any],
    verdict: str,
    *,
    articles: tuple[str, ...] = (),
    child: bool = False,
    missing: tuple[str, ...] = (),
    warnings: tuple[str, ...] = (),
    name: str,
) -> Any:
    """Return one row of the rule table: the facts and the whole expected outcome."""
    expected = {
        "verdict": verdict,
        "articles": list(articles),
        "child": child,
        "missing": list(missing),
        "warnings": list(warnings),
    }
    return pytest.param(facts, expected, id=name)


RULE_TABLE = [
    # Age at the act: reached the day after the birthday (project policy)
    case(
        {"act_date": "2024-06-01", "victim_date_of_birth": "2006-06-01", **RECRUITED_FOR_SEX},
        "art_167",
        articles=("167",),
        child=True,
        name="a victim on her 18th birthday is still a child",
    ),
    case(
        {"act_date": "2024-05-31", "victim_date_of_birth": "2006-06-01", **RECRUITED_FOR_SEX},
        "art_167",
        articles=("167",),
        child=True,
        name="a victim the day before her 18th birthday is a child",
    ),
    case(
        {"act_date": "2024-06-02", "victim_date_of_birth": "2006-06-01", **RECRUITED_FOR_SEX},
        "elements_not_established",
        missing=("means",),
        name="a victim the day after her 18th birthday is an adult who needs a means",
    ),
    case(
        {"act_date": "2022-02-28", "victim_date_of_birth": "2004-02-29", **RECRUITED_FOR_SEX},
        "art_167",
        articles=("167",),
        child=True,
        name="a victim born on 29 February is still a child on 28 February of her non-leap 18th year",
    ),
    case(
        {"act_date": "2022-03-01", "victim_date_of_birth": "2004-02-29", **RECRUITED_FOR_SEX},
        "elements_not_established",
        missing=("means",),
        name="a victim born on 29 February is an adult on 1 March of her non-leap 18th year",
    ),
    case(
        {"act_date": ACT_DATE, "victim_date_of_birth": "2010-01-01", "victim_age": 30, **RECRUITED_FOR_SEX},
        "art_167",
        articles=("167",),
        child=True,
        name="the date of birth prevails over a stated adult age",
    ),
    # Consent and the special norm of Art. 159/160
    case(
        {**CHILD, **RECRUITED_FOR_SEX, "free_consent_prostitution": True},
        "art_167",
        articles=("167",),
        child=True,
        name="a child who freely consented to prostitution is a victim of trafficking in children",
    ),
    case(
        {**ADULT, **RECRUITED_FOR_SEX, "free_consent_prostitution": True},
        "art_159_160",
        articles=("159", "160"),
        name="an adult with free consent to prostitution and no means falls under Art 159 and 160",
    ),
    case(
        {**ADULT, **RECRUITED_FOR_SEX, "free_consent_prostitution": True, "foreseen_slave_like_dependency": True},
        "elements_not_established",
        missing=("means",),
        name="free consent with a slave-like dependency foreseen lacks only the means",
    ),
    case(
        {**FULL_ADULT_CASE, "free_consent_prostitution": True},
        "art_166",
        articles=("166",),
        name="an adult who consented but was deceived is a victim of trafficking in persons",
    ),
    case(
        {**ADULT, "acts": ["recruitment"], "purposes": ["forced_labour"], "free_consent_prostitution": True},
        "elements_not_established",
        missing=("means",),
        name="free consent to prostitution does not help a case without the purpose of sexual exploitation",
    ),
    # Art. 159/160 only when prostitution is the whole story (handbook: «гана», only): its neighbours
    case(
        {**ADULT, **FREE_CONSENT, "purposes": ["sexual_exploitation", "forced_labour"]},
        "elements_not_established",
        missing=("means",),
        name="free consent with another purpose recorded is judged as trafficking and lacks the means",
    ),
    case(
        {**ADULT, **FREE_CONSENT, "purposes": ["sexual_exploitation", "other"]},
        "elements_not_established",
        missing=("means",),
        name="free consent with an other form of exploitation recorded is not Art 159 and 160",
    ),
    case(
        {**ADULT, **FREE_CONSENT, "exploitation_occurred": ["organ_removal"]},
        "elements_not_established",
        missing=("means",),
        name="free consent with organ removal carried out is judged as trafficking and lacks the means",
    ),
    case(
        {**ADULT, **FREE_CONSENT, "exploitation_occurred": ["sexual_exploitation", "forced_labour"]},
        "elements_not_established",
        missing=("means",),
        name="free consent with forced labour carried out besides prostitution is not Art 159 and 160",
    ),
    case(
        {**ADULT, **FREE_CONSENT, "purposes": ["sexual_exploitation", "forced_labour"], "means": ["threat"]},
        "art_166",
        articles=("166",),
        warnings=("no_separate_165_139",),
        name="free consent with another purpose and a means is trafficking in persons",
    ),
    case(
        {
            **ADULT,
            **FREE_CONSENT,
            "purposes": ["sexual_exploitation", "slavery"],
            "foreseen_slave_like_dependency": True,
        },
        "elements_not_established",
        missing=("means",),
        name="free consent with another purpose and a slave-like dependency foreseen lacks the means",
    ),
    case(
        {**CHILD, **FREE_CONSENT, "purposes": ["sexual_exploitation", "forced_labour"]},
        "art_167",
        articles=("167",),
        child=True,
        name="a child who consented is a victim of trafficking in children whatever the purposes",
    ),
    case(
        {**ADULT, **FREE_CONSENT, "exploitation_occurred": ["sexual_exploitation"]},
        "art_159_160",
        articles=("159", "160"),
        name="prostitution carried out with free consent stays Art 159 and 160 without a cumulation warning",
    ),
    # Border
    case(
        {**FULL_ADULT_CASE, "acts": ["recruitment", "transportation"], "moved_across_kr_border": True},
        "art_166",
        articles=("166", "166.2.5"),
        name="transportation across the KR border adds Art 166 part 2 item 5",
    ),
    case(
        {**FULL_ADULT_CASE, "acts": ["harbouring"], "moved_across_kr_border": True},
        "art_166",
        articles=("166",),
        name="crossing the KR border without the act of transportation adds no aggravation",
    ),
    case(
        {**FULL_ADULT_CASE, "acts": ["transportation"], "crossed_border": True},
        "art_166",
        articles=("166",),
        name="transportation across some other border adds no aggravation",
    ),
    case(
        {**CHILD, "acts": ["transportation"], "purposes": ["forced_labour"], "moved_across_kr_border": True},
        "art_167",
        articles=("167",),
        child=True,
        name="a child transported across the KR border gets Art 167 only",
    ),
    case(
        {**ADULT, "acts": ["transportation"], "means": ["deception"], "crossed_border": True},
        "not_trafficking",
        missing=("purpose",),
        warnings=("possible_migrant_smuggling",),
        name="a border crossing without a purpose of exploitation is not trafficking even with an act and a means",
    ),
    case(
        {**ADULT, "acts": ["transportation"], "moved_across_kr_border": True},
        "not_trafficking",
        missing=("means", "purpose"),
        warnings=("possible_migrant_smuggling",),
        name="being moved across the KR border counts as a border crossing",
    ),
    case(
        {**CHILD, "acts": ["transportation"], "illegal_border_crossing": True},
        "not_trafficking",
        child=True,
        missing=("purpose",),
        warnings=("possible_migrant_smuggling",),
        name="an illegal crossing without a purpose is not trafficking and gives no cumulative border offence",
    ),
    case(
        {**FULL_ADULT_CASE, "illegal_border_crossing": True},
        "art_166",
        articles=("166",),
        warnings=("cumulative_illegal_border_crossing",),
        name="an illegal crossing with a purpose of exploitation is a cumulative border offence",
    ),
    case(
        {**ADULT, "acts": ["recruitment"], "means": ["deception"]},
        "elements_not_established",
        missing=("purpose",),
        name="no purpose and no border crossing leaves the purpose missing",
    ),
    # Abuse of vulnerability
    case(
        {**ADULT, **RECRUITED_FOR_SEX, "means": ["abuse_of_vulnerability"], **BOTH_EVIDENCED},
        "art_166",
        articles=("166",),
        name="abuse of vulnerability alone is a means when both the vulnerability and its abuse are evidenced",
    ),
    case(
        {**ADULT, **RECRUITED_FOR_SEX, "means": ["abuse_of_vulnerability"], "vulnerability_evidenced": True},
        "elements_not_established",
        missing=("means",),
        warnings=("vulnerability_abuse_unproven",),
        name="abuse of vulnerability alone is no means when only the vulnerability is evidenced",
    ),
    case(
        {**ADULT, **RECRUITED_FOR_SEX, "means": ["abuse_of_vulnerability"], "vulnerability_abuse_evidenced": True},
        "elements_not_established",
        missing=("means",),
        warnings=("vulnerability_abuse_unproven",),
        name="abuse of vulnerability alone is no means when only the abuse is evidenced",
    ),
    case(
        {**ADULT, **RECRUITED_FOR_SEX, "means": ["abuse_of_vulnerability"]},
        "elements_not_established",
        missing=("means",),
        warnings=("vulnerability_abuse_unproven",),
        name="abuse of vulnerability alone is no means without evidence",
    ),
    case(
        {**FULL_ADULT_CASE, "means": ["deception", "abuse_of_vulnerability"]},
        "art_166",
        articles=("166",),
        warnings=("vulnerability_abuse_unproven",),
        name="unproven abuse of vulnerability beside deception is still warned while deception is the means",
    ),
    case(
        {**CHILD, **RECRUITED_FOR_SEX, "means": ["abuse_of_vulnerability"]},
        "art_167",
        articles=("167",),
        child=True,
        warnings=("vulnerability_abuse_unproven",),
        name="unproven abuse of vulnerability of a child is warned though the child needs no means",
    ),
    case(
        {**ADULT, **RECRUITED_FOR_SEX, "free_consent_prostitution": True, "means": ["abuse_of_vulnerability"]},
        "art_159_160",
        articles=("159", "160"),
        warnings=("vulnerability_abuse_unproven",),
        name="an unproven abuse of vulnerability does not block Art 159 and 160",
    ),
    # Abduction and threat as the means
    case(
        {**FULL_ADULT_CASE, "means": ["abduction"]},
        "art_166",
        articles=("166",),
        warnings=("no_separate_165_139",),
        name="abduction as the means gives no separate Art 165 charge",
    ),
    case(
        {**FULL_ADULT_CASE, "means": ["threat"]},
        "art_166",
        articles=("166",),
        warnings=("no_separate_165_139",),
        name="a threat as the means gives no separate Art 139 charge",
    ),
    case(
        {**CHILD, **RECRUITED_FOR_SEX, "means": ["abduction"]},
        "art_167",
        articles=("167",),
        child=True,
        warnings=("no_separate_165_139",),
        name="an abducted child gives no separate Art 165 charge either",
    ),
    case(
        {**ADULT, "acts": ["recruitment"], "means": ["abduction"]},
        "elements_not_established",
        missing=("purpose",),
        name="abduction without a trafficking verdict says nothing about Art 165",
    ),
    # The suspect
    case(
        {**FULL_ADULT_CASE, "suspect_age": 13},
        "art_166",
        articles=("166",),
        warnings=("suspect_not_subject",),
        name="a suspect aged 13 is not a subject of the offence",
    ),
    case(
        {**FULL_ADULT_CASE, "suspect_age": 14},
        "art_166",
        articles=("166",),
        name="a suspect aged 14 is a subject of the offence",
    ),
    case(
        {**FULL_ADULT_CASE, "suspect_age": 40, "suspect_sane": False},
        "art_166",
        articles=("166",),
        warnings=("suspect_not_subject",),
        name="a suspect who is not sane is not a subject of the offence",
    ),
    # Exploitation carried out
    case(
        {**ADULT, "acts": ["recruitment"], "means": ["force"], "exploitation_occurred": ["forced_labour"]},
        "art_166",
        articles=("166",),
        warnings=("cumulative_exploitation",),
        name="exploitation carried out shows the purpose and is a cumulative offence",
    ),
    case(
        {**CHILD, "acts": ["harbouring"], "exploitation_occurred": ["child_pornography"]},
        "art_167",
        articles=("167",),
        child=True,
        warnings=("cumulative_exploitation",),
        name="exploitation of a child carried out is cumulative with Art 167",
    ),
    case(
        {**ADULT, "acts": ["recruitment"], "exploitation_occurred": ["forced_labour"]},
        "elements_not_established",
        missing=("means",),
        name="exploitation carried out without a trafficking verdict is not cumulative with trafficking",
    ),
    case(
        {**ADULT, "means": ["force"], "exploitation_occurred": ["organ_removal"]},
        "elements_not_established",
        missing=("act",),
        name="exploitation carried out without an act is not cumulative with trafficking",
    ),
    # Appearance and unknown age (project policy)
    case(
        {"act_date": ACT_DATE, "appears_minor": True, **RECRUITED_FOR_SEX},
        "art_167",
        articles=("167",),
        child=True,
        warnings=("age_unknown_treated_as_child",),
        name="a victim of unknown age who appears to be a minor is treated as a child",
    ),
    case(
        {**ADULT, "victim_age": 19, "appears_minor": True, **RECRUITED_FOR_SEX},
        "elements_not_established",
        missing=("means",),
        name="a known adult age prevails over appearing to be a minor",
    ),
    case(
        {"act_date": ACT_DATE, "victim_date_of_birth": "2000-01-01", "appears_minor": True, **RECRUITED_FOR_SEX},
        "elements_not_established",
        missing=("means",),
        name="a known adult date of birth prevails over appearing to be a minor",
    ),
    case(
        {"act_date": ACT_DATE, **RECRUITED_FOR_SEX},
        "elements_not_established",
        missing=("means",),
        name="a victim of unknown age who does not appear to be a minor is treated as an adult",
    ),
    # Missing elements
    case(
        {**ADULT, "means": ["deception"], "purposes": ["forced_labour"]},
        "elements_not_established",
        missing=("act",),
        name="a case without an act lacks the act",
    ),
    case(
        {},
        "elements_not_established",
        missing=("act", "means", "purpose"),
        name="an empty case lacks every element",
    ),
    case(
        {**CHILD},
        "elements_not_established",
        child=True,
        missing=("act", "purpose"),
        name="a child case never lacks the means",
    ),
]


@pytest.mark.parametrize(("facts", "expected"), RULE_TABLE)
def test_rule_table(facts: dict[str, Any], expected: dict[str, Any]) -> None:
    result = run(facts)

    assert {key: result[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("date_of_birth", "on_date", "age"),
    [
        pytest.param(date(2006, 6, 1), date(2024, 5, 31), 17, id="the day before the 18th birthday is 17"),
        pytest.param(date(2006, 6, 1), date(2024, 6, 1), 17, id="the 18th birthday itself is still 17"),
        pytest.param(date(2006, 6, 1), date(2024, 6, 2), 18, id="the day after the 18th birthday is 18"),
        pytest.param(date(2004, 2, 29), date(2022, 2, 28), 17, id="29 February births are 17 on 28 February"),
        pytest.param(date(2004, 2, 29), date(2022, 3, 1), 18, id="29 February births are 18 on 1 March"),
        pytest.param(date(2004, 2, 29), date(2024, 2, 29), 19, id="29 February births are 19 on their leap birthday"),
        pytest.param(date(2004, 2, 29), date(2024, 3, 1), 20, id="29 February births are 20 on 1 March of a leap year"),
        pytest.param(date(2024, 6, 1), date(2024, 6, 1), 0, id="a newborn is 0 on the day of birth"),
        pytest.param(date(2023, 12, 31), date(2024, 12, 31), 0, id="a baby is still 0 on the first birthday"),
        pytest.param(date(2023, 12, 31), date(2025, 1, 1), 1, id="a baby is 1 the day after the first birthday"),
    ],
)
def test_age_at_counts_an_age_from_the_day_after_the_birthday(date_of_birth: date, on_date: date, age: int) -> None:
    assert age_at(date_of_birth, on_date) == age


def test_age_at_refuses_a_date_before_birth() -> None:
    with pytest.raises(ValueError, match="before"):
        age_at(date(2010, 1, 2), date(2010, 1, 1))


def test_birthday_of_a_29_february_birth_is_28_february_in_a_non_leap_year() -> None:
    assert birthday_in(date(2004, 2, 29), 2022) == date(2022, 2, 28)
    assert birthday_in(date(2004, 2, 29), 2024) == date(2024, 2, 29)


def test_output_has_the_contract_keys_and_the_age() -> None:
    result = run(FULL_ADULT_CASE)

    assert list(result) == ["verdict", "articles", "child", "missing", "warnings", "explanation", "age", "policy_rules"]
    assert result["age"] == 25
    assert result["policy_rules"] == []


def test_age_is_none_when_unknown() -> None:
    assert run({"appears_minor": True})["age"] is None


def test_same_input_gives_identical_output() -> None:
    facts = {**FULL_ADULT_CASE, "means": ["threat", "abuse_of_vulnerability"], "exploitation_occurred": ["slavery"]}

    assert repr(run(facts, "ky")) == repr(run(dict(facts), "ky"))


def test_order_and_duplicates_of_codes_do_not_change_the_output() -> None:
    first = run({**ADULT, "acts": ["transfer", "recruitment"], "means": ["fraud", "threat"], "purposes": ["other"]})
    second = run(
        {**ADULT, "acts": ["recruitment", "transfer", "transfer"], "means": ["threat", "fraud"], "purposes": ["other"]}
    )

    assert first == second


def test_null_values_count_as_not_given() -> None:
    with_nulls = {**FULL_ADULT_CASE, "suspect_sane": None, "victim_date_of_birth": None, "exploitation_occurred": None}

    assert run(with_nulls) == run(FULL_ADULT_CASE)


def test_act_date_defaults_to_today() -> None:
    result = qualify({"victim_date_of_birth": "2007-01-15", **RECRUITED_FOR_SEX}, today=date(2025, 1, 15))

    assert result["child"] is True
    assert "2025-01-15 (not given: today's date is used)" in result["explanation"]


def test_dates_may_be_given_as_date_objects() -> None:
    as_strings = run({"act_date": "2024-06-01", "victim_date_of_birth": "2006-06-01", **RECRUITED_FOR_SEX})
    as_dates = run({"act_date": date(2024, 6, 1), "victim_date_of_birth": date(2006, 6, 1), **RECRUITED_FOR_SEX})

    assert as_dates == as_strings


# Explanation ---------------------------------------------------------------------------------------------------------

ARTICLE_MENTIONS = {
    "art_166": {"en": "Art. 166", "ru": "ст. 166", "ky": "166-берене"},
    "art_167": {"en": "Art. 167", "ru": "ст. 167", "ky": "167-берене"},
    "art_159_160": {"en": "Art. 159 / Art. 160", "ru": "ст. 159 / ст. 160", "ky": "159 / 160-беренелер"},
}
VERDICT_FACTS = {
    "art_166": FULL_ADULT_CASE,
    "art_167": {**CHILD, **RECRUITED_FOR_SEX},
    "art_159_160": {**ADULT, **RECRUITED_FOR_SEX, "free_consent_prostitution": True},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("verdict", sorted(ARTICLE_MENTIONS))
def test_explanation_names_the_article_in_every_language(verdict: str, language: str) -> None:
    result = run(VERDICT_FACTS[verdict], language)

    assert result["verdict"] == verdict
    assert result["explanation"].strip()
    assert ARTICLE_MENTIONS[verdict][language] in result["explanation"]


ONLY_FOR_PROSTITUTION = {
    "en": "only for prostitution",
    "ru": "только для занятия проституцией",
    "ky": "сойкулук менен алектенүүгө гана",
}
MORE_THAN_PROSTITUTION = [
    pytest.param({**ADULT, **FREE_CONSENT, "purposes": ["sexual_exploitation", "forced_labour"]}, id="another_purpose"),
    pytest.param({**ADULT, **FREE_CONSENT, "exploitation_occurred": ["organ_removal"]}, id="organ_removal_carried_out"),
    pytest.param(
        {**ADULT, **FREE_CONSENT, "purposes": ["sexual_exploitation", "other"], "means": ["deception"]},
        id="another_purpose_and_a_means",
    ),
    pytest.param({**CHILD, **FREE_CONSENT, "purposes": ["sexual_exploitation", "forced_begging"]}, id="a_child"),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_art_159_160_explanation_says_the_recruitment_was_only_for_prostitution(language: str) -> None:
    result = run({**ADULT, **FREE_CONSENT}, language)

    assert result["verdict"] == "art_159_160"
    assert ONLY_FOR_PROSTITUTION[language] in result["explanation"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("facts", MORE_THAN_PROSTITUTION)
def test_explanation_never_says_only_for_prostitution_when_more_was_recorded(facts: dict, language: str) -> None:
    result = run(facts, language)

    assert result["verdict"] != "art_159_160"
    assert ONLY_FOR_PROSTITUTION[language] not in result["explanation"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_explanation_says_why_art_159_160_does_not_apply_when_other_exploitation_was_recorded(language: str) -> None:
    facts = {**ADULT, **FREE_CONSENT, "purposes": ["sexual_exploitation", "forced_labour"]}

    explanation = run(facts, language)["explanation"]

    others = label("forced_labour", language)
    assert TEXTS["consent_other_exploitation"][language].format(items=others) in explanation.splitlines()
    assert TEXTS["rule_missing_adult"][language].format(missing=label("means", language)) in explanation


def test_explanation_names_every_other_purpose_and_exploitation_that_excludes_art_159_160() -> None:
    facts = {**ADULT, **FREE_CONSENT, "purposes": ["slavery"], "exploitation_occurred": ["organ_removal"]}

    explanation = run(facts)["explanation"]

    assert (
        "Consent: Art. 159 / Art. 160 does not apply, because exploitation other than prostitution was recorded "
        "(slavery or practices similar to slavery, removal of organs, tissues or cells): the facts are judged as "
        "trafficking in persons." in explanation.splitlines()
    )


def test_explanation_of_free_consent_to_prostitution_alone_has_no_line_on_other_exploitation() -> None:
    explanation = run({**ADULT, **FREE_CONSENT})["explanation"]

    assert "other than prostitution" not in explanation


@pytest.mark.parametrize("language", LANGUAGES)
def test_explanation_names_the_facts_of_each_element(language: str) -> None:
    facts = {**ADULT, "acts": ["recruitment", "transportation"], "means": ["deception"], "purposes": ["forced_labour"]}

    explanation = run(facts, language)["explanation"]

    acts = f"{label('recruitment', language)}, {label('transportation', language)}"
    assert acts in explanation
    assert label("deception", language) in explanation
    assert label("forced_labour", language) in explanation


def test_english_explanation_reads_element_by_element() -> None:
    explanation = run({**FULL_ADULT_CASE, "acts": ["recruitment", "transportation"]})["explanation"]

    assert "Act: recruitment, transportation." in explanation.splitlines()
    assert "Means: deception." in explanation.splitlines()
    assert "Purpose of exploitation: sexual exploitation." in explanation.splitlines()
    assert explanation.splitlines()[0].startswith("Qualification: Art. 166")


@pytest.mark.parametrize("language", LANGUAGES)
def test_explanation_marks_the_birthday_rule_as_project_policy_when_it_decided(language: str) -> None:
    facts = {"act_date": "2024-06-01", "victim_date_of_birth": "2006-06-01", **RECRUITED_FOR_SEX}

    result = run(facts, language)

    assert result["verdict"] == "art_167"
    assert result["policy_rules"] == ["age_from_day_after_birthday"]
    assert POLICY_MARK[language] in result["explanation"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_explanation_marks_the_29_february_rule_as_project_policy(language: str) -> None:
    result = run({"act_date": "2022-02-28", "victim_date_of_birth": "2004-02-29", **RECRUITED_FOR_SEX}, language)

    assert result["policy_rules"] == ["age_from_day_after_birthday", "feb29_birthday_on_28_feb"]
    assert result["explanation"].count(POLICY_MARK[language]) >= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_explanation_marks_the_appears_minor_presumption_as_project_policy(language: str) -> None:
    result = run({"appears_minor": True, **RECRUITED_FOR_SEX}, language)

    assert result["policy_rules"] == ["appears_minor_presumption"]
    assert POLICY_MARK[language] in result["explanation"]


def test_a_stated_age_applies_no_project_policy() -> None:
    result = run(FULL_ADULT_CASE)

    assert result["policy_rules"] == []
    assert POLICY_MARK["en"] not in result["explanation"]


WARNING_FACTS = {
    "suspect_not_subject": {**FULL_ADULT_CASE, "suspect_age": 13},
    "no_separate_165_139": {**FULL_ADULT_CASE, "means": ["abduction"]},
    "cumulative_exploitation": {**FULL_ADULT_CASE, "exploitation_occurred": ["sexual_exploitation"]},
    "vulnerability_abuse_unproven": {**FULL_ADULT_CASE, "means": ["abuse_of_vulnerability"]},
    "age_unknown_treated_as_child": {"appears_minor": True},
    "possible_migrant_smuggling": {"crossed_border": True},
    "cumulative_illegal_border_crossing": {**FULL_ADULT_CASE, "illegal_border_crossing": True},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("warning", WARNINGS)
def test_each_warning_has_its_sentence_in_the_explanation(warning: str, language: str) -> None:
    result = run(WARNING_FACTS[warning], language)

    assert warning in result["warnings"]
    assert WARNING_SENTENCES[warning][language] in result["explanation"]


def test_warnings_come_in_the_contract_order() -> None:
    facts = {
        **FULL_ADULT_CASE,
        "means": ["threat", "abuse_of_vulnerability"],
        "exploitation_occurred": ["forced_labour"],
        "illegal_border_crossing": True,
        "suspect_sane": False,
    }

    assert run(facts)["warnings"] == [
        "suspect_not_subject",
        "no_separate_165_139",
        "cumulative_exploitation",
        "vulnerability_abuse_unproven",
        "cumulative_illegal_border_crossing",
    ]


@pytest.mark.parametrize(
    ("language", "citation"),
    [("en", "Law of the KR No. 55 of 17 March 2005"), ("ru", "№ 55"), ("ky", "№55")],
)
def test_payment_to_controller_cites_law_no_55(language: str, citation: str) -> None:
    result = run({**FULL_ADULT_CASE, "means": ["payment_to_controller"]}, language)

    assert result["verdict"] == "art_166"
    assert citation in result["explanation"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_aggravation_of_166_part_2_item_5_is_cited(language: str) -> None:
    facts = {**FULL_ADULT_CASE, "acts": ["transportation"], "moved_across_kr_border": True}
    mention = {"en": "Art. 166 part 2 item 5", "ru": "п. 5 ч. 2 ст. 166", "ky": "166-берененин 2-бөлүгүнүн 5-пункту"}

    assert mention[language] in run(facts, language)["explanation"]


# Labels ----------------------------------------------------------------------------------------------------------


def test_every_code_has_a_label_in_every_language() -> None:
    codes = (*ACTS, *MEANS, *PURPOSES, *ELEMENTS, *VERDICTS, *WARNINGS)

    for code in codes:
        assert set(LABELS[code]) == set(LANGUAGES), code
        assert all(LABELS[code][language].strip() for language in LANGUAGES), code


@pytest.mark.parametrize(
    ("code", "kyrgyz"),
    [
        ("recruitment", "азгыруу"),
        ("transportation", "ташуу"),
        ("harbouring", "жашыруу"),
        ("receipt", "кабыл алуу"),
        ("transfer", "өткөрүп берүү"),
        ("threat", "коркутуу"),
        ("force", "күч колдонуу"),
        ("coercion", "мажбурлоонун башка түрлөрү"),
        ("abduction", "уурдоо"),
        ("fraud", "алдамчылык"),
        ("deception", "алдоо"),
        ("abuse_of_vulnerability", "аялуу абалынан кыянаттык менен пайдалануу"),
        ("forced_labour", "мажбурлап иштетүү же кызмат көрсөтүү"),
        ("slavery", "кулчулук же кулчулукка окшош каада-салттар"),
        ("servitude", "эрксиз абал"),
        ("organ_removal", "органын, тканын же клеткасын алуу"),
        ("forced_begging", "мажбурланган тилемчилик"),
        ("forced_marriage", "мажбурлап никеге туруу"),
        ("illegal_adoption", "мыйзамсыз асырап алуу"),
    ],
)
def test_kyrgyz_labels_use_the_handbook_terms(code: str, kyrgyz: str) -> None:
    assert label(code, "ky") == kyrgyz


def all_texts(language: str) -> str:
    """Every label and sentence the engine can write in `language`, joined."""
    tables = (LABELS, WARNING_SENTENCES, TEXTS)
    return "\n".join(texts[language] for table in tables for texts in table.values())


@pytest.mark.parametrize(
    ("code", "language", "term"),
    [
        pytest.param("art_159_160", "ky", "сойкулук менен бузукулукка көмөктөшүү", id="art_160_ky"),
        pytest.param("art_159_160", "ru", "содействие занятию проституцией и развратом", id="art_160_ru"),
        pytest.param("art_159_160", "en", "facilitating prostitution and debauchery", id="art_160_en"),
        pytest.param("art_159_160", "ky", "сойкулукка аралаштыруу", id="art_159_ky"),
        pytest.param("possible_migrant_smuggling", "ky", "мигранттарды мыйзамсыз алып кирүү", id="smuggling_ky"),
        pytest.param("possible_migrant_smuggling", "ru", "незаконный ввоз мигрантов", id="smuggling_ru"),
        pytest.param("cumulative_exploitation", "ky", "кылмыштуу иш-аракеттердин жыйындысы", id="cumulation_ky"),
        pytest.param("cumulative_illegal_border_crossing", "ky", "кылмыштуу иш-аракеттердин жыйындысы", id="border_ky"),
    ],
)
def test_labels_use_the_handbooks_terms(code: str, language: str, term: str) -> None:
    assert term in label(code, language)


@pytest.mark.parametrize(
    ("code", "language", "term"),
    [
        pytest.param("possible_migrant_smuggling", "ky", "мигранттарды мыйзамсыз алып кирүү", id="smuggling"),
        pytest.param("cumulative_exploitation", "ky", "кылмыштуу иш-аракеттердин жыйындысы", id="cumulation"),
        pytest.param("cumulative_exploitation", "ky", "адамдарды сатууга кошумча катары", id="in_addition"),
        pytest.param("cumulative_illegal_border_crossing", "ky", "кылмыштуу иш-аракеттердин жыйындысы", id="border"),
        pytest.param("no_separate_165_139", "ky", "өмүргө жана ден соолукка коркунучтуу", id="art_139_ky"),
        pytest.param("no_separate_165_139", "ru", "опасным для жизни и здоровья", id="art_139_ru"),
        pytest.param("no_separate_165_139", "en", "dangerous to life and health", id="art_139_en"),
    ],
)
def test_warning_sentences_use_the_handbooks_terms(code: str, language: str, term: str) -> None:
    assert term in WARNING_SENTENCES[code][language]


@pytest.mark.parametrize(
    ("language", "wrong"),
    [
        pytest.param("ky", "кылмыштардын жыйындысы", id="cumulation_not_the_handbooks"),
        pytest.param("ky", "мигранттарды мыйзамсыз алып өтүү", id="smuggling_as_carrying_across"),
        pytest.param("ky", "сойкулукка көмөктөшүү)", id="art_160_without_debauchery"),
        pytest.param("ru", "жизни или здоровья", id="art_139_or"),
    ],
)
def test_no_text_keeps_the_old_terms(language: str, wrong: str) -> None:
    assert wrong not in all_texts(language)


def test_russian_labels_use_the_legal_terms() -> None:
    assert [label(code, "ru") for code in ACTS] == ["вербовка", "перевозка", "укрывательство", "получение", "передача"]


def test_label_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="language"):
        label("recruitment", "de")


def test_constants_hold_the_contract_codes() -> None:
    assert len(INPUT_KEYS) == 17
    assert set(POLICY_RULES) == {"age_from_day_after_birthday", "feb29_birthday_on_28_feb", "appears_minor_presumption"}
    assert VERDICTS == ("art_166", "art_167", "art_159_160", "elements_not_established", "not_trafficking")


# Input errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        pytest.param({"victim_name": "A."}, "victim_name", id="an unknown key"),
        pytest.param({"acts": ["kidnapping"]}, "acts", id="an unknown act code"),
        pytest.param({"means": ["bribery"]}, "means", id="an unknown means code"),
        pytest.param({"purposes": ["sexual exploitation"]}, "purposes", id="an unknown purpose code"),
        pytest.param({"exploitation_occurred": ["recruitment"]}, "exploitation_occurred", id="an act as exploitation"),
        pytest.param({"acts": [1]}, "acts", id="a number in a list of codes"),
        pytest.param({"means": "deception"}, "means", id="a string instead of a list"),
        pytest.param({"purposes": {"other": True}}, "purposes", id="an object instead of a list"),
        pytest.param({"appears_minor": "true"}, "appears_minor", id="a string for a bool"),
        pytest.param({"suspect_sane": 1}, "suspect_sane", id="a number for a bool"),
        pytest.param({"victim_age": True}, "victim_age", id="a bool for an int"),
        pytest.param({"suspect_age": "15"}, "suspect_age", id="a string for an int"),
        pytest.param({"victim_age": 17.0}, "victim_age", id="a float for an int"),
        pytest.param({"victim_age": -1}, "victim_age", id="a negative victim age"),
        pytest.param({"suspect_age": -3}, "suspect_age", id="a negative suspect age"),
        pytest.param({"victim_age": 151}, "victim_age", id="an impossible age"),
        pytest.param({"act_date": "2024-13-01"}, "act_date", id="a month 13"),
        pytest.param({"act_date": "01.06.2024"}, "act_date", id="a date in local format"),
        pytest.param({"act_date": "2024-6-1"}, "act_date", id="a date without leading zeros"),
        pytest.param({"act_date": "2023-02-29"}, "act_date", id="29 February of a non-leap year"),
        pytest.param({"act_date": 20240601}, "act_date", id="a number for a date"),
        pytest.param({"act_date": datetime(2024, 6, 1, 12, 0)}, "act_date", id="a datetime for a date"),
        pytest.param(
            {"act_date": "2024-06-01", "victim_date_of_birth": "2024-06-02"},
            "victim_date_of_birth",
            id="a date of birth after the act",
        ),
        pytest.param({"victim_date_of_birth": "2025-01-16"}, "victim_date_of_birth", id="a date of birth after today"),
        pytest.param({"act_date": "2025-01-16"}, "act_date", id="an act date tomorrow"),
        pytest.param({"act_date": "2125-01-15"}, "act_date", id="an act date a century ahead"),
        pytest.param({"act_date": "1899-12-31"}, "act_date", id="an act date before 1900"),
        pytest.param({"act_date": "0001-01-01"}, "act_date", id="an act date in the year 1"),
        pytest.param(
            {"act_date": "1950-01-01", "victim_date_of_birth": "1899-12-31"},
            "victim_date_of_birth",
            id="a date of birth before 1900",
        ),
        pytest.param(
            {"victim_date_of_birth": date(1, 1, 1)}, "victim_date_of_birth", id="a date of birth in the year 1"
        ),
    ],
)
def test_bad_input_is_a_field_error(facts: dict[str, Any], field: str) -> None:
    with pytest.raises(QualificationInputError) as raised:
        run(facts)

    assert list(raised.value.errors) == [field]
    assert all(isinstance(message, str) and message for message in raised.value.errors[field])


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param({"act_date": TODAY.isoformat()}, id="an act today"),
        pytest.param({"act_date": "1900-01-01"}, id="an act on 1 January 1900"),
        pytest.param({"act_date": "1950-01-01", "victim_date_of_birth": "1900-01-01"}, id="born on 1 January 1900"),
        pytest.param({"victim_date_of_birth": TODAY.isoformat()}, id="born today, the act date not given"),
    ],
)
def test_dates_from_1900_to_today_are_accepted(facts: dict[str, Any]) -> None:
    assert run({**facts, **RECRUITED_FOR_SEX})["verdict"] in VERDICTS


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        pytest.param(datetime(2025, 1, 15, 17, 59, tzinfo=UTC), date(2025, 1, 15), id="23:59 in Bishkek"),
        pytest.param(datetime(2025, 1, 15, 18, 0, tzinfo=UTC), date(2025, 1, 16), id="midnight in Bishkek"),
        pytest.param(datetime(2025, 1, 16, 5, 0, tzinfo=UTC), date(2025, 1, 16), id="morning in Bishkek"),
    ],
)
def test_today_is_the_date_in_bishkek(moment: datetime, today: date) -> None:
    assert today_in_bishkek(moment) == today


def test_without_today_the_act_date_is_checked_against_the_date_in_bishkek(monkeypatch: pytest.MonkeyPatch) -> None:
    # given the clock at 00:30 in Bishkek, still the previous day in UTC
    monkeypatch.setattr(
        qualification_module, "_utc_now", lambda: datetime(2025, 1, 15, 18, 30, tzinfo=UTC), raising=True
    )

    accepted = qualify({"act_date": "2025-01-16", **RECRUITED_FOR_SEX})
    with pytest.raises(QualificationInputError) as raised:
        qualify({"act_date": "2025-01-17", **RECRUITED_FOR_SEX})

    assert accepted["verdict"] == "elements_not_established"
    assert list(raised.value.errors) == ["act_date"]
    assert "2025-01-16 (not given" in qualify(RECRUITED_FOR_SEX)["explanation"]


def test_unknown_language_is_a_field_error() -> None:
    with pytest.raises(QualificationInputError) as raised:
        run(FULL_ADULT_CASE, "de")

    assert list(raised.value.errors) == ["language"]


def test_facts_that_are_not_a_mapping_are_refused() -> None:
    with pytest.raises(QualificationInputError) as raised:
        qualify(["acts", "recruitment"], today=TODAY)  # type: ignore[arg-type]

    assert "non_field_errors" in raised.value.errors


def test_every_bad_field_is_reported_at_once() -> None:
    facts = {"colour": "red", "acts": ["x"], "victim_age": "17", "appears_minor": "no"}

    with pytest.raises(QualificationInputError) as raised:
        qualify(facts, "xx", today=TODAY)

    assert set(raised.value.errors) == {"colour", "acts", "victim_age", "appears_minor", "language"}


def test_input_error_is_a_value_error_naming_the_fields() -> None:
    with pytest.raises(ValueError, match="acts"):
        run({"acts": ["x"]})
