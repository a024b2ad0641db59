"""Qualify the facts of a case: Art. 166, 167 or 159/160 of the Criminal Code of the KR, or why not.

The contract is ARCHITECTURE.md §4 and the rules are DOMAIN.md §3. Pure, deterministic standard-library code: no Django,
no ORM, no settings, so that it is tested without a database and served as JSON by the API unchanged.

Project-policy choices (marked so in every explanation and listed in the output's `policy_rules`):

- `age_from_day_after_birthday`: an age N is reached on the day *after* the N-th birthday, so on the 18th birthday the
  victim is still 17, a child.
- `feb29_birthday_on_28_feb`: a person born on 29 February has the birthday on 28 February in a non-leap year; with the
  rule above, a new age is then reached on 1 March in every year, leap or not.
- `appears_minor_presumption`: with no date of birth and no age, a victim who appears to be under 18 is a child until
  the age is established (warning `age_unknown_treated_as_child`). A known age always prevails over appearance.

Choices inside the contract's room:

- `null` (None) for any key means "not given", as if the key were absent: JSON clients send it for empty fields.
- An act after today (the date in Asia/Bishkek, where the cases are) and any date before 1900 are input errors:
  implausible dates are typing errors, and a wrong year would silently change a victim's age.
- `exploitation_occurred` implies the same purposes: exploitation carried out proves the purpose (DOMAIN §3.7).
- `vulnerability_abuse_unproven` is warned whenever abuse of vulnerability is alleged without both evidence flags, for
  adults and children alike and even beside other means (DOMAIN §3.9: "whenever it is alleged, ask for evidence"); it
  empties the means element only when it is an adult's sole means.
- Art. 159/160 needs "no means" in the counting sense: an unproven abuse of vulnerability does not block it.
- A contradictory `crossed_border: false` next to `moved_across_kr_border` or `illegal_border_crossing` is overridden by
  the implication; `victim_age` next to a date of birth is ignored (the date wins) and the explanation says so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from cases.ages import age_at, birthday_in

from .qualification_texts import DATE_FORMATS, LABELS, LANGUAGES, TEXTS, WARNING_SENTENCES

__all__ = [
    "ACTS",
    "ELEMENTS",
    "INPUT_KEYS",
    "LABELS",
    "LANGUAGES",
    "MEANS",
    "POLICY_RULES",
    "PURPOSES",
    "TRAFFICKING_VERDICTS",
    "VERDICTS",
    "WARNINGS",
    "Qualification",
    "QualificationInputError",
    "age_at",
    "birthday_in",
    "label",
    "qualify",
    "today_in_bishkek",
]

ACTS: tuple[str, ...] = ("recruitment", "transportation", "harbouring", "receipt", "transfer")
MEANS: tuple[str, ...] = (
    "threat",
    "force",
    "coercion",
    "blackmail",
    "abduction",
    "fraud",
    "deception",
    "abuse_of_power",
    "abuse_of_vulnerability",
    "payment_to_controller",
)
PURPOSES: tuple[str, ...] = (
    "sexual_exploitation",
    "forced_labour",
    "slavery",
    "servitude",
    "organ_removal",
    "forced_begging",
    "forced_marriage",
    "illegal_adoption",
    "child_pornography",
    "other",
)
ELEMENTS: tuple[str, ...] = ("act", "means", "purpose")
VERDICTS: tuple[str, ...] = ("art_166", "art_167", "art_159_160", "elements_not_established", "not_trafficking")
TRAFFICKING_VERDICTS: tuple[str, ...] = ("art_166", "art_167")
WARNINGS: tuple[str, ...] = (
    "suspect_not_subject",
    "no_separate_165_139",
    "cumulative_exploitation",
    "vulnerability_abuse_unproven",
    "age_unknown_treated_as_child",
    "possible_migrant_smuggling",
    "cumulative_illegal_border_crossing",
)
POLICY_RULES: tuple[str, ...] = ("age_from_day_after_birthday", "feb29_birthday_on_28_feb", "appears_minor_presumption")

_DATE_KEYS = ("act_date", "victim_date_of_birth")
_INT_KEYS = ("victim_age", "suspect_age")
_CODE_KEYS: dict[str, tuple[str, ...]] = {
    "acts": ACTS,
    "means": MEANS,
    "purposes": PURPOSES,
    "exploitation_occurred": PURPOSES,
}
_BOOL_KEYS = (
    "appears_minor",
    "moved_across_kr_border",
    "crossed_border",
    "illegal_border_crossing",
    "free_consent_prostitution",
    "foreseen_slave_like_dependency",
    "suspect_sane",
    "vulnerability_evidenced",
    "vulnerability_abuse_evidenced",
)
INPUT_KEYS: tuple[str, ...] = (
    "act_date",
    "victim_date_of_birth",
    "victim_age",
    "appears_minor",
    "acts",
    "means",
    "purposes",
    "exploitation_occurred",
    "moved_across_kr_border",
    "crossed_border",
    "illegal_border_crossing",
    "free_consent_prostitution",
    "foreseen_slave_like_dependency",
    "suspect_age",
    "suspect_sane",
    "vulnerability_evidenced",
    "vulnerability_abuse_evidenced",
)

ADULT_AGE = 18
KYRGYZ_TIME_ZONE = ZoneInfo("Asia/Bishkek")
SUBJECT_AGE = 14
MAX_AGE = 150
EARLIEST_DATE = date(1900, 1, 1)  # an earlier date of an act or a birth is a typing error, not a fact
_TOO_EARLY = f"Enter a date from {EARLIEST_DATE.isoformat()} on."
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UNKNOWN_LANGUAGE = f"Unknown language; expected one of: {', '.join(LANGUAGES)}."
_BYPASS_MEANS = ("abduction", "threat")  # used as the means, they are not charged apart (Art. 165, Art. 139)


class QualificationInputError(ValueError):
    """Bad facts: `errors` maps each field name to its messages, ready to become 400 field errors."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors: dict[str, list[str]] = {field: list(messages) for field, messages in errors.items()}
        summary = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in self.errors.items())
        super().__init__(f"Invalid qualification facts: {summary}")


class Qualification(TypedDict):
    """The engine's answer (ARCHITECTURE §4); `age` and `policy_rules` are additions to the contract's six keys."""

    verdict: str
    articles: list[str]
    child: bool
    missing: list[str]
    warnings: list[str]
    explanation: str
    age: int | None
    policy_rules: list[str]


@dataclass(frozen=True)
class _Facts:
    act_date: date
    act_date_given: bool
    date_of_birth: date | None
    victim_age: int | None
    appears_minor: bool
    acts: tuple[str, ...]
    means: tuple[str, ...]
    purposes: tuple[str, ...]
    exploitation_occurred: tuple[str, ...]
    moved_across_kr_border: bool
    crossed_border: bool
    illegal_border_crossing: bool
    free_consent_prostitution: bool
    foreseen_slave_like_dependency: bool
    suspect_age: int | None
    suspect_sane: bool
    vulnerability_proven: bool


@dataclass(frozen=True)
class _Victim:
    age: int | None
    child: bool
    source: str  # "date_of_birth", "stated_age", "appearance" or "unknown"
    on_birthday: bool
    feb29_shift: bool


@dataclass(frozen=True)
class _Decision:
    verdict: str
    articles: tuple[str, ...]
    missing: tuple[str, ...]


# Public helpers ---------------------------------------------------------------------------------------------------


def _utc_now() -> datetime:
    """Return the current moment (a seam for tests: the engine reads no settings and no Django clock)."""
    return datetime.now(UTC)


def today_in_bishkek(now: datetime | None = None) -> date:
    """Return the date in the Kyrgyz Republic (Asia/Bishkek) at `now`, by default at the current moment."""
    return (now if now is not None else _utc_now()).astimezone(KYRGYZ_TIME_ZONE).date()


def label(code: str, language: str = "en") -> str:
    """Return the label of a code (act, means, purpose, element, verdict or warning) in `language`."""
    _check_language(language)
    return LABELS[code][language]


def qualify(facts: Mapping[str, Any], language: str = "en", *, today: date | None = None) -> Qualification:
    """Qualify the facts and explain the verdict in `language`; raise QualificationInputError on bad input.

    `today` (default: the date in Asia/Bishkek) is the default date of the act and the latest date accepted.
    """
    parsed = _parse(facts, language, today or today_in_bishkek())
    victim = _assess_victim(parsed)
    decision = _decide(parsed, victim.child)
    warnings = _warnings(parsed, victim, decision.verdict)
    return {
        "verdict": decision.verdict,
        "articles": list(decision.articles),
        "child": victim.child,
        "missing": list(decision.missing),
        "warnings": warnings,
        "explanation": "\n".join(_explain(parsed, victim, decision, warnings, language)),
        "age": victim.age,
        "policy_rules": _policy_rules(victim),
    }


# Input -------------------------------------------------------------------------------------------------------------


def _check_language(language: object) -> None:
    """Raise ValueError unless `language` is one the texts are written in."""
    if language not in LANGUAGES:
        raise ValueError(_UNKNOWN_LANGUAGE)


def _parse(facts: object, language: object, today: date) -> _Facts:
    """Validate the raw facts and return them normalised, or raise with every error found."""
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGES:
        errors["language"] = [_UNKNOWN_LANGUAGE]
    if not isinstance(facts, Mapping):
        errors["non_field_errors"] = ["Expected an object mapping fact names to values."]
        raise QualificationInputError(errors)
    for key in facts:
        if key not in INPUT_KEYS:
            errors.setdefault(str(key), []).append("Unknown field.")
    values = {key: _clean(key, facts[key], errors) for key in INPUT_KEYS if facts.get(key) is not None}
    act_date = values.get("act_date", today)
    dob = values.get("victim_date_of_birth")
    for key in _DATE_KEYS:
        if values.get(key) is not None and values[key] < EARLIEST_DATE:
            errors.setdefault(key, []).append(_TOO_EARLY)
    if act_date is not None and act_date > today:
        errors.setdefault("act_date", []).append(f"The date of the act is in the future: today is {today} in Bishkek.")
    if dob is not None and act_date is not None and dob > act_date:
        when = "the date of the act" if "act_date" in values else "today (the date of the act was not given)"
        errors.setdefault("victim_date_of_birth", []).append(f"The date of birth is after {when}.")
    if errors:
        raise QualificationInputError(errors)
    return _normalise(values, act_date)


class _FieldError(Exception):
    """One field's messages, raised by a cleaner."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)


def _clean(key: str, value: object, errors: dict[str, list[str]]) -> Any:
    """Return the value of one known key checked for its type, recording a message in `errors` if it is wrong."""
    try:
        if key in _CODE_KEYS:
            return _clean_codes(value, _CODE_KEYS[key])
        return _CLEANERS[key](value)
    except _FieldError as exc:
        errors.setdefault(key, []).extend(exc.messages)
        return None


def _clean_date(value: object) -> date:
    """Return a date from a date object or a YYYY-MM-DD string."""
    if isinstance(value, datetime):
        raise _FieldError("Enter a date without a time.")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _FieldError("Enter a valid date in the format YYYY-MM-DD.")


def _clean_age(value: object) -> int:
    """Return a whole number of years between 0 and MAX_AGE."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _FieldError("Enter a whole number of years.")
    if not 0 <= value <= MAX_AGE:
        raise _FieldError(f"Enter an age between 0 and {MAX_AGE}.")
    return value


def _clean_bool(value: object) -> bool:
    """Return the value if it is a real boolean."""
    if not isinstance(value, bool):
        raise _FieldError("Enter true or false.")
    return value


def _clean_codes(value: object, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Return the known codes of a list, deduplicated, in the canonical order of `allowed`."""
    if not isinstance(value, list | tuple):
        raise _FieldError("Enter a list of codes.")
    messages = []
    for item in value:
        if not isinstance(item, str):
            messages.append(f"Not a code: {item!r}.")
        elif item not in allowed:
            messages.append(f"Unknown code {item!r}; expected one of: {', '.join(allowed)}.")
    if messages:
        raise _FieldError(*messages)
    return tuple(code for code in allowed if code in value)


_CLEANERS: dict[str, Callable[[object], Any]] = {
    **dict.fromkeys(_DATE_KEYS, _clean_date),
    **dict.fromkeys(_INT_KEYS, _clean_age),
    **dict.fromkeys(_BOOL_KEYS, _clean_bool),
}


def _normalise(values: dict[str, Any], act_date: date) -> _Facts:
    """Return the facts with their implications: exploitation shows the purpose, border flags imply a crossing."""
    occurred = values.get("exploitation_occurred", ())
    stated = values.get("purposes", ())
    moved = values.get("moved_across_kr_border", False)
    illegal = values.get("illegal_border_crossing", False)
    return _Facts(
        act_date=act_date,
        act_date_given="act_date" in values,
        date_of_birth=values.get("victim_date_of_birth"),
        victim_age=values.get("victim_age"),
        appears_minor=values.get("appears_minor", False),
        acts=values.get("acts", ()),
        means=values.get("means", ()),
        purposes=tuple(code for code in PURPOSES if code in stated or code in occurred),
        exploitation_occurred=occurred,
        moved_across_kr_border=moved,
        crossed_border=values.get("crossed_border", False) or moved or illegal,
        illegal_border_crossing=illegal,
        free_consent_prostitution=values.get("free_consent_prostitution", False),
        foreseen_slave_like_dependency=values.get("foreseen_slave_like_dependency", False),
        suspect_age=values.get("suspect_age"),
        suspect_sane=values.get("suspect_sane", True),
        vulnerability_proven=values.get("vulnerability_evidenced", False)
        and values.get("vulnerability_abuse_evidenced", False),
    )


# Rules -------------------------------------------------------------------------------------------------------------


def _assess_victim(facts: _Facts) -> _Victim:
    """Return the victim's age and child status: date of birth, then stated age, then appearance (DOMAIN §3.2)."""
    dob = facts.date_of_birth
    if dob is not None:
        age = age_at(dob, facts.act_date)
        on_birthday = facts.act_date.year > dob.year and facts.act_date == birthday_in(dob, facts.act_date.year)
        feb29 = (dob.month, dob.day) == (2, 29) and not calendar.isleap(facts.act_date.year)
        return _Victim(age, age < ADULT_AGE, "date_of_birth", on_birthday, feb29)
    if facts.victim_age is not None:
        return _Victim(facts.victim_age, facts.victim_age < ADULT_AGE, "stated_age", False, False)
    if facts.appears_minor:
        return _Victim(None, True, "appearance", False, False)
    return _Victim(None, False, "unknown", False, False)


def _counted_means(facts: _Facts) -> tuple[str, ...]:
    """Return the means that count: abuse of vulnerability only with both evidence flags (DOMAIN §3.9)."""
    return tuple(m for m in facts.means if m != "abuse_of_vulnerability" or facts.vulnerability_proven)


def _exploitation_besides_prostitution(facts: _Facts) -> tuple[str, ...]:
    """Return the purposes recorded or exploitation carried out other than sexual exploitation (prostitution)."""
    return tuple(code for code in facts.purposes if code != "sexual_exploitation")


def _is_prostitution_special_norm(facts: _Facts, child: bool) -> bool:
    """Tell whether Art. 159/160 replaces Art. 166: an adult recruited, with free consent, for prostitution only.

    The handbook limits the special norm to a recruiter who meant prostitution «гана» (only): with any other purpose
    recorded or other exploitation carried out, the facts are judged as trafficking (DOMAIN §3.3).
    """
    return (
        not child
        and bool(facts.acts)
        and facts.purposes == ("sexual_exploitation",)
        and facts.free_consent_prostitution
        and not _counted_means(facts)
        and not facts.foreseen_slave_like_dependency
    )


def _decide(facts: _Facts, child: bool) -> _Decision:
    """Return the verdict, its articles and the missing elements (DOMAIN §3.1-3.5)."""
    present = {"act": bool(facts.acts), "means": child or bool(_counted_means(facts)), "purpose": bool(facts.purposes)}
    missing = tuple(element for element in ELEMENTS if not present[element])
    if not present["purpose"] and facts.crossed_border:
        return _Decision("not_trafficking", (), missing)
    if not missing and child:
        return _Decision("art_167", ("167",), ())
    if not missing:
        return _Decision("art_166", ("166", "166.2.5") if _aggravated_by_border(facts) else ("166",), ())
    if _is_prostitution_special_norm(facts, child):
        return _Decision("art_159_160", ("159", "160"), ())
    return _Decision("elements_not_established", (), missing)


def _aggravated_by_border(facts: _Facts) -> bool:
    """Tell whether the transportation carried the victim across the KR border (Art. 166 part 2 item 5)."""
    return "transportation" in facts.acts and facts.moved_across_kr_border


def _warnings(facts: _Facts, victim: _Victim, verdict: str) -> list[str]:
    """Return the warning codes that apply, in the contract's order."""
    trafficking = verdict in TRAFFICKING_VERDICTS
    suspect_too_young = facts.suspect_age is not None and facts.suspect_age < SUBJECT_AGE
    applies = {
        "suspect_not_subject": suspect_too_young or not facts.suspect_sane,
        "no_separate_165_139": trafficking and any(m in facts.means for m in _BYPASS_MEANS),
        # The exploitation crime is qualified *in addition to* trafficking (DOMAIN §3.7): only beside a verdict of it.
        "cumulative_exploitation": trafficking and bool(facts.exploitation_occurred),
        "vulnerability_abuse_unproven": "abuse_of_vulnerability" in facts.means and not facts.vulnerability_proven,
        "age_unknown_treated_as_child": victim.source == "appearance",
        "possible_migrant_smuggling": verdict == "not_trafficking",
        "cumulative_illegal_border_crossing": trafficking and facts.illegal_border_crossing,
    }
    return [code for code in WARNINGS if applies[code]]


def _policy_rules(victim: _Victim) -> list[str]:
    """Return the project-policy rules that shaped the victim's age or status."""
    applied = {
        "age_from_day_after_birthday": victim.source == "date_of_birth",
        "feb29_birthday_on_28_feb": victim.feb29_shift,
        "appears_minor_presumption": victim.source == "appearance",
    }
    return [rule for rule in POLICY_RULES if applied[rule]]


# Explanation -------------------------------------------------------------------------------------------------------


_RULE_TEXTS = {
    "art_166": "rule_166",
    "art_167": "rule_167",
    "art_159_160": "rule_159_160",
    "not_trafficking": "rule_not_trafficking",
    "elements_not_established": "rule_missing_adult",
}


def _text(key: str, language: str, **values: object) -> str:
    """Return one sentence of the explanation in `language`, placeholders filled."""
    return TEXTS[key][language].format(**values)


def _labels(codes: tuple[str, ...], language: str) -> str:
    """Return the labels of codes joined for running text."""
    return ", ".join(LABELS[code][language] for code in codes)


def _explain(facts: _Facts, victim: _Victim, decision: _Decision, warnings: list[str], language: str) -> list[str]:
    """Return the explanation's lines: verdict, facts per element, the deciding rules, then the warnings."""
    lines = [_verdict_line(decision, language)]
    lines += _victim_lines(facts, victim, language)
    lines += _element_lines(facts, victim.child, language)
    lines += _rule_lines(facts, victim.child, decision, language)
    if "payment_to_controller" in facts.means:
        lines.append(_text("law_55", language, item=LABELS["payment_to_controller"][language]))
    prefix = TEXTS["warning"][language]
    lines += [f"{prefix}: {WARNING_SENTENCES[code][language]}" for code in warnings]
    return lines


def _verdict_line(decision: _Decision, language: str) -> str:
    """Return the first line: the verdict with its articles."""
    key = "qualification_aggravated" if "166.2.5" in decision.articles else "qualification"
    return _text(key, language, verdict=LABELS[decision.verdict][language])


def _victim_lines(facts: _Facts, victim: _Victim, language: str) -> list[str]:
    """Return the lines on the act date and the victim's age, marking project policy."""
    fmt = DATE_FORMATS[language]
    date_key = "act_date" if facts.act_date_given else "act_date_default"
    lines = [_text(date_key, language, date=facts.act_date.strftime(fmt))]
    if victim.source == "date_of_birth" and facts.date_of_birth is not None:
        lines.append(_text("victim_from_dob", language, age=victim.age, dob=facts.date_of_birth.strftime(fmt)))
        if victim.feb29_shift:
            lines.append(_text("feb29", language))
        if victim.on_birthday:
            lines.append(_text("on_birthday", language, age=victim.age))
        if facts.victim_age is not None and facts.victim_age != victim.age:
            lines.append(_text("dob_over_stated_age", language, age=facts.victim_age))
    elif victim.source == "stated_age":
        lines.append(_text("victim_stated_age", language, age=victim.age))
    elif victim.source == "appearance":
        lines.append(_text("victim_appears_minor", language))
    else:
        lines.append(_text("victim_unknown", language))
    if facts.appears_minor and victim.source != "appearance" and not victim.child:
        lines.append(_text("appearance_overridden", language))
    lines.append(_text("victim_child" if victim.child else "victim_adult", language))
    return lines


def _element_lines(facts: _Facts, child: bool, language: str) -> list[str]:
    """Return which facts satisfied the act, means and purpose elements, and the border facts."""
    lines = [_found_or_missing("act", facts.acts, language)]
    lines += _means_lines(facts, child, language)
    lines.append(_found_or_missing("purpose", facts.purposes, language))
    if facts.exploitation_occurred:
        lines.append(_text("exploitation_done", language, items=_labels(facts.exploitation_occurred, language)))
    if facts.moved_across_kr_border:
        lines.append(_text("border_kr", language))
    elif facts.crossed_border:
        lines.append(_text("border_crossed", language))
    if facts.illegal_border_crossing:
        lines.append(_text("border_illegal", language))
    return lines


def _found_or_missing(element: str, codes: tuple[str, ...], language: str) -> str:
    """Return the line of one element: its facts, or that it is not established."""
    if codes:
        return _text(f"{element}_found", language, items=_labels(codes, language))
    return _text(f"{element}_missing", language)


def _means_lines(facts: _Facts, child: bool, language: str) -> list[str]:
    """Return the means line: not required for a child; for an adult, what counts and what does not."""
    if child:
        if facts.means:
            return [_text("means_child_stated", language, items=_labels(facts.means, language))]
        return [_text("means_child", language)]
    lines = [_found_or_missing("means", _counted_means(facts), language)]
    if "abuse_of_vulnerability" in facts.means and not facts.vulnerability_proven:
        lines.append(_text("means_uncounted", language, item=LABELS["abuse_of_vulnerability"][language]))
    return lines


def _rule_lines(facts: _Facts, child: bool, decision: _Decision, language: str) -> list[str]:
    """Return the rules that decided the verdict, with the consent and border aggravation notes."""
    lines = []
    if facts.free_consent_prostitution and not child:
        others = _exploitation_besides_prostitution(facts)
        if _counted_means(facts):
            lines.append(_text("consent_irrelevant", language))
        elif facts.foreseen_slave_like_dependency:
            lines.append(_text("consent_dependency", language))
        if others and not _counted_means(facts):
            lines.append(_text("consent_other_exploitation", language, items=_labels(others, language)))
    key = _RULE_TEXTS[decision.verdict]
    if decision.verdict == "elements_not_established":
        key = "rule_missing_child" if child else "rule_missing_adult"
    lines.append(_text(key, language, missing=_labels(decision.missing, language)))
    if facts.moved_across_kr_border and decision.verdict == "art_166":
        aggravated = _aggravated_by_border(facts)
        lines.append(_text("rule_166_2_5" if aggravated else "rule_166_2_5_needs_transportation", language))
    if _aggravated_by_border(facts) and decision.verdict == "art_167":
        lines.append(_text("rule_166_2_5_not_167", language))
    return lines
