"""What a screening recorded, entry by entry, by the labels the wizard showed, in the reader's language."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import indicators
from .labels import FACT_LABELS
from .models import Screening
from .qualification import LABELS

BORDER = ("moved_across_kr_border", "crossed_border", "illegal_border_crossing")
CONSENT = ("free_consent_prostitution", "foreseen_slave_like_dependency")
EVIDENCE = ("vulnerability_evidenced", "vulnerability_abuse_evidenced")
SAFETY = ("violence_against_women", "high_risk")


@dataclass(frozen=True)
class Entry:
    """One entry of the screening page: a heading and what was ticked under it (empty: nothing), or a note."""

    label: str
    values: list[str] = field(default_factory=list)
    note: str = ""


def screening_entries(screening: Screening, language: str) -> list[Entry]:
    """Return what the screening recorded, in the wizard's order, labelled in `language` (the active language)."""
    facts = screening.facts
    indicator_labels = {**indicators.ADULT_INDICATORS, **indicators.CHILD_INDICATORS}

    def engine(codes) -> list[str]:
        return [LABELS[code][language] if code in LABELS else code for code in codes]

    def flags(names, source) -> list[str]:
        return [str(FACT_LABELS[name]) for name in names if source(name)]

    entries = [
        Entry(_("Indicators"), _labelled(screening.indicators, indicator_labels)),
        Entry(
            _("Vulnerability"),
            _labelled(indicators.current_vulnerability_codes(screening.vulnerability), indicators.ALL_VULNERABILITY),
        ),
        Entry(_("Kind of vulnerability"), _labelled(screening.vulnerability_kinds, indicators.VULNERABILITY_KINDS)),
        Entry(_("Factors"), _labelled(screening.vulnerability_factors, indicators.VULNERABILITY_FACTORS)),
        Entry(_("Acts"), engine(facts.get("acts", []))),
    ]
    if screening.child:
        entries.append(Entry(_("Means"), note=_("not required for a child")))
    else:
        entries.append(Entry(_("Means"), engine(facts.get("means", []))))
        if "abuse_of_vulnerability" in facts.get("means", []):
            entries.append(Entry(_("Abuse of vulnerability: the evidence"), flags(EVIDENCE, facts.get)))
    entries.append(Entry(_("Purposes of exploitation"), engine(facts.get("purposes", []))))
    entries.append(Entry(_("Border"), flags(BORDER, facts.get)))
    if not screening.child:
        entries.append(Entry(_("Consent"), flags(CONSENT, facts.get)))
    entries.append(Entry(_("Exploitation actually carried out"), engine(facts.get("exploitation_occurred", []))))
    if facts.get("suspect_age") is not None:
        entries.append(Entry(_("Suspect's age at the act"), note=str(facts["suspect_age"])))
    if facts.get("suspect_sane") is not None:
        entries.append(Entry(_("Suspect is sane"), note=_("Yes") if facts["suspect_sane"] else _("No")))
    safety = flags(SAFETY, lambda name: getattr(screening, name))
    if screening.child:
        safety.append(_sexual_violence(screening.sexual_violence))
    entries.append(Entry(_("Safety"), safety))
    return entries


def _labelled(codes, labels: dict) -> list[str]:
    """Labels of the codes; a code no list knows any more is shown as stored rather than dropped."""
    return [str(labels[code]) if code in labels else code for code in codes]


def _sexual_violence(answer: bool | None) -> str:
    text = {True: _("Yes"), False: _("No"), None: pgettext("sexual violence", "Not known yet")}[answer]
    return _("A child suffered sexual violence: {answer}").format(answer=text)
