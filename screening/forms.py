"""The screening wizard's form: one form, shown step by step, turned into the engine's facts."""

import uuid
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from cases.ages import ADULT_AGE, age_at
from cases.models import Case, Victim
from screening.models import Screening

from . import indicators
from .carry_over import NOT_IDENTIFIED, STEP_FIELDS, values_recorded_by
from .help_texts import (
    ACT_HELP,
    MEANS_HELP,
    PURPOSE_HELP,
    SEXUAL_VIOLENCE_HELP,
    VULNERABILITY_HELP,
    VULNERABILITY_KIND_HELP,
)
from .labels import FACT_LABELS
from .models import Obligation
from .qualification import ACTS, LABELS, MEANS, PURPOSES

TRI_STATE = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]
STEP_TITLES = {
    1: _("Identity and age"),
    2: _("Indicators"),
    3: _("Vulnerability"),
    4: _("Acts, means, purposes"),
    5: _("Further facts"),
    6: _("Save"),
}
SEXUAL_PURPOSES = frozenset({"sexual_exploitation", "child_pornography"})
SEXUAL_VIOLENCE_ANSWERS = [
    ("yes", _("Yes")),
    ("no", _("No")),
    ("unknown", pgettext_lazy("sexual violence", "Not known yet")),
]
SEXUAL_VIOLENCE_REQUIRED = _(
    "Answer whether the child suffered sexual violence: a “yes” starts the 72 hours for health information."
)
PERSON_REQUIRED = _("Choose the person this screening is about, or “Not yet identified”.")


class CodeChoices(BaseChoiceIterator):
    """Choices labelled in the active language from the engine's trilingual labels, with help texts.

    A BaseChoiceIterator, so that Django keeps it lazy: a plain iterable would be turned into a list once, at import,
    in whatever language was active then (the Russian and English pages showed Kyrgyz labels).
    """

    def __init__(self, codes: tuple[str, ...], help_texts: dict) -> None:
        self.codes = codes
        self.help_texts = help_texts

    def __iter__(self):
        language = (get_language() or "ky")[:2]
        language = language if language in ("ky", "ru", "en") else "en"
        for code in self.codes:
            yield code, LABELS[code][language]


def _multi(label, codes, help_texts=None, **kwargs) -> forms.MultipleChoiceField:
    field = forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple, choices=CodeChoices(codes, help_texts or {}),
        **kwargs,
    )  # fmt: skip
    field.code_help = help_texts or {}
    return field


def _dict_multi(label, options: dict, help_texts: dict | None = None) -> forms.MultipleChoiceField:
    field = forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple, choices=list(options.items())
    )
    field.code_help = help_texts or {}
    return field


class ScreeningForm(PlausibleInputMixin, forms.Form):
    # Step 1: identity and age. The person is chosen by the officer (the choices are the case's people); required
    # when saving, not for the live preview.
    victim = forms.ChoiceField(label=_("Person the screening is about"), required=False, widget=forms.RadioSelect)
    act_date = forms.DateField(
        label=_("Date of the act"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    act_date_unknown = forms.BooleanField(required=False)  # labelled with the day the report came in
    victim_date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    victim_age = forms.IntegerField(
        label=_("Age in years, when the date of birth is unknown"), required=False, min_value=0, max_value=120
    )
    appears_minor = forms.BooleanField(label=_("Appears to be under 18 (no reliable age)"), required=False)
    # Step 2: indicators
    adult_indicators = _dict_multi(_("Indicators of trafficking in persons"), indicators.ADULT_INDICATORS)
    child_indicators = _dict_multi(_("Indicators of trafficking in children"), indicators.CHILD_INDICATORS)
    # Step 3: vulnerability
    vulnerability = _dict_multi(_("Vulnerability"), indicators.ALL_VULNERABILITY, VULNERABILITY_HELP)
    vulnerability_kinds = _dict_multi(
        _("Kind of vulnerability"), indicators.VULNERABILITY_KINDS, VULNERABILITY_KIND_HELP
    )
    vulnerability_factors = _dict_multi(_("Factors"), indicators.VULNERABILITY_FACTORS)
    # Step 4: elements
    acts = _multi(_("Acts"), ACTS, ACT_HELP)
    means = _multi(_("Means"), MEANS, MEANS_HELP)
    purposes = _multi(_("Purposes of exploitation"), PURPOSES, PURPOSE_HELP)
    vulnerability_evidenced = forms.BooleanField(label=FACT_LABELS["vulnerability_evidenced"], required=False)
    vulnerability_abuse_evidenced = forms.BooleanField(
        label=FACT_LABELS["vulnerability_abuse_evidenced"], required=False
    )
    # Step 5: further facts
    moved_across_kr_border = forms.BooleanField(label=FACT_LABELS["moved_across_kr_border"], required=False)
    crossed_border = forms.BooleanField(label=FACT_LABELS["crossed_border"], required=False)
    illegal_border_crossing = forms.BooleanField(label=FACT_LABELS["illegal_border_crossing"], required=False)
    free_consent_prostitution = forms.BooleanField(label=FACT_LABELS["free_consent_prostitution"], required=False)
    foreseen_slave_like_dependency = forms.BooleanField(
        label=FACT_LABELS["foreseen_slave_like_dependency"], required=False
    )
    exploitation_occurred = _multi(_("Exploitation actually carried out"), PURPOSES)
    suspect_age = forms.IntegerField(label=_("Suspect's age at the act"), required=False, min_value=0, max_value=120)
    suspect_sane = forms.TypedChoiceField(
        label=_("Suspect is sane"), choices=TRI_STATE, required=False, coerce=str, empty_value=""
    )
    violence_against_women = forms.BooleanField(label=FACT_LABELS["violence_against_women"], required=False)
    # Asked in step 4 for a child with a sexual purpose (required then: it creates the 72-hour item), else in step 5.
    sexual_violence = forms.ChoiceField(
        label=_("Did the child suffer sexual violence?"),
        choices=SEXUAL_VIOLENCE_ANSWERS,
        required=False,
        widget=forms.RadioSelect,
        help_text=SEXUAL_VIOLENCE_HELP,
    )
    high_risk = forms.BooleanField(label=FACT_LABELS["high_risk"], required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(
        self,
        *args,
        case: Case,
        latest: Screening | None = None,
        for_saving: bool = True,
        chosen_person: str | None = None,
        **kwargs,
    ) -> None:
        """`latest`: the case's latest screening, which a new one starts from and is compared with; `chosen_person`:
        the id of one of the case's people to preselect (the person page's "Screen now"), ignored if not one of them."""
        super().__init__(*args, **kwargs)
        self.case = case
        self.for_saving = for_saving
        self.latest = latest
        self.baseline = values_recorded_by(latest) if latest is not None else None
        self.people = {str(victim.pk): victim for victim in case.victims.all()}
        self.fields["victim"].choices = [(pk, _person_label(victim)) for pk, victim in self.people.items()] + [
            (NOT_IDENTIFIED, _("Not yet identified"))
        ]
        self.report_day = timezone.localdate(case.received_at)
        self.fields["act_date_unknown"].label = _(
            "The date of the act is not known: use the day the report came in, {date}"
        ).format(date=self.report_day.strftime("%d.%m.%Y"))
        # Where the act date shown came from, for the note under it: "incident", "latest", or None (to be entered).
        self.act_date_source: str | None = None
        if not self.is_bound and self.baseline is not None:
            self._start_from_the_latest_screening()
        elif not self.is_bound:
            self._start_from_the_case()
        if not self.is_bound and chosen_person in self.people:
            self._choose(self.people[chosen_person])
        self.fields["act_date"].help_text = self._act_date_note()

    def _choose(self, victim: Victim) -> None:
        """Preselect a person, with the age their record gives (as choosing them in the form does)."""
        self.initial["victim"] = str(victim.pk)
        identity = identity_of(victim)
        if identity is not None:
            self.initial.update(identity)

    def _start_from_the_case(self) -> None:
        """Prefill the act date from a known incident date only: the day the report came in is offered, not set."""
        if self.case.incident_at is not None:
            self.initial.setdefault("act_date", timezone.localdate(self.case.incident_at))
            self.act_date_source = "incident"

    def _start_from_the_latest_screening(self) -> None:
        """Start from what the latest screening recorded, with what the case and the person's record learnt since.

        An act date that was not known gives way to an incident date entered on the case since; a date of birth
        entered on the person's record since replaces the age the screening went by. Both then show as changed.
        """
        assert self.baseline is not None
        self.initial.update(self.baseline)
        self.act_date_source = "latest"
        if self.baseline["act_date_unknown"] and self.case.incident_at is not None:
            self.initial.update(act_date=timezone.localdate(self.case.incident_at), act_date_unknown=False)
            self.act_date_source = "incident"
        victim = self.people.get(self.baseline["victim"] or "")
        if (
            victim is not None
            and victim.date_of_birth
            and victim.date_of_birth != self.baseline["victim_date_of_birth"]
        ):
            self.initial.update(victim_date_of_birth=victim.date_of_birth, victim_age=None)

    def _act_date_note(self) -> str:
        """Say where the act date shown came from, or that the officer must enter it."""
        if self.act_date_source == "latest":
            return _("As in the last screening.")
        if self.act_date_source == "incident":
            return _(
                "Taken from the date of the incident recorded on the case. Correct it if the act was on another day."
            )
        if self.case.incident_at is None:
            return _("The case has no date of the incident: enter the date of the act.")
        return ""

    @property
    def offers_act_date_fallback(self) -> bool:
        """Whether to offer "not known: use the day the report came in" (no incident date, or already ticked)."""
        return self.case.incident_at is None or bool(self.value("act_date_unknown"))

    def clean_victim(self) -> Victim | None:
        """Return the chosen person: None for "not yet identified" or no answer (refused when saving)."""
        chosen = self.cleaned_data.get("victim") or ""
        self.cleaned_data["person_not_identified"] = chosen == NOT_IDENTIFIED
        if not chosen and self.for_saving:
            raise forms.ValidationError(PERSON_REQUIRED, code="required")
        return self.people.get(chosen)

    def clean_act_date(self) -> date | None:
        """The future is refused here; a date before 1900 already by the project's date validator (the form mixin)."""
        act = self.cleaned_data["act_date"]
        if act is not None and act > timezone.localdate():  # today in Asia/Bishkek (TIME_ZONE), not the server's
            raise forms.ValidationError(_("The date of the act cannot be in the future."), code="future")
        return act

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_act_date_or_its_fallback(cleaned)
        if self.for_saving and self.sexual_violence_step() == 4 and not cleaned.get("sexual_violence"):
            self.add_error("sexual_violence", SEXUAL_VIOLENCE_REQUIRED)
        born, act = cleaned.get("victim_date_of_birth"), cleaned.get("act_date")
        if born and act and born > act:
            self.add_error("victim_date_of_birth", _("The date of birth is after the date of the act."))
        return cleaned

    def _clean_act_date_or_its_fallback(self, cleaned: dict[str, Any]) -> None:
        """Take the date the officer entered, or the day the report came in when they ticked that it is not known.

        The engine would take today for a missing date: the wizard never sends it one the officer did not see.
        """
        if "act_date" in self.errors:
            return
        act, unknown = cleaned.get("act_date"), cleaned.get("act_date_unknown")
        if unknown and act is not None and act != self.report_day:
            self.add_error("act_date", _("You entered a date and ticked that it is not known: clear one of the two."))
        elif unknown:
            cleaned["act_date"] = self.report_day
        elif act is None:
            self.add_error(
                "act_date",
                _("Enter the date of the act, or tick that it is not known to use the day the report came in."),
            )

    # -- what the page needs while it is being filled in -------------------------------------------------------
    def value(self, name: str) -> Any:
        """The current value of a field: cleaned when bound and valid for it, else the initial one."""
        if self.is_bound:
            if hasattr(self, "cleaned_data") and name in self.cleaned_data:
                return self.cleaned_data[name]
            return self[name].value()
        return self.initial.get(name, self.fields[name].initial)

    def act_date_now(self) -> date | None:
        """The date of the act with the facts given so far: the one entered, or the stated fallback when ticked."""
        act = _as_date(self.value("act_date"))
        if act is None and self.value("act_date_unknown") not in (None, False, "", "false", "False", "0"):
            return self.report_day
        return act

    def is_child_now(self) -> bool:
        """Whether the person is treated as a child with the facts given so far (decides which lists are shown)."""
        born, act, age = _as_date(self.value("victim_date_of_birth")), self.act_date_now(), self.value("victim_age")
        if born and act and born <= act:
            return age_at(born, act) < ADULT_AGE
        try:
            if age not in (None, ""):
                return int(age) < ADULT_AGE
        except (TypeError, ValueError):
            pass
        return bool(self.value("appears_minor"))

    def sexual_violence_step(self) -> int:
        """Where the sexual-violence question stands: step 4 beside a child's sexual purpose, step 5 for another
        child's case, 0 (not asked) for an adult."""
        if not self.is_child_now():
            return 0
        purposes = {str(purpose) for purpose in self.value("purposes") or []}
        return 4 if purposes & SEXUAL_PURPOSES else 5

    # -- what differs from the latest screening -------------------------------------------------------------------
    def changed(self) -> set[str]:
        """Return the fields whose value differs from the latest screening's (none without one)."""
        if self.baseline is None:
            return set()
        return {
            name
            for name in self.compared_fields()
            if self._comparable(name, self[name].value()) != self._comparable(name, self.baseline.get(name))
        }

    def changed_steps(self, changed: set[str]) -> list[int]:
        """Return the steps holding a changed field."""
        steps = {step for step, names in STEP_FIELDS.items() if changed & set(names)}
        if "sexual_violence" in changed:
            steps.add(self.sexual_violence_step())
        return sorted(steps)

    def compared_fields(self) -> list[str]:
        """The fields shown with the facts given so far: a child has no means, an adult no child indicators."""
        child = self.is_child_now()
        hidden = {"child_indicators"}
        if child:
            hidden = {"adult_indicators", "means", "free_consent_prostitution", "foreseen_slave_like_dependency"}
        if child or "abuse_of_vulnerability" not in (self.value("means") or []):
            hidden |= {"vulnerability_evidenced", "vulnerability_abuse_evidenced"}
        shown = [name for names in STEP_FIELDS.values() for name in names if name not in hidden]
        return [*shown, "sexual_violence"] if child else shown

    def _comparable(self, name: str, value: Any) -> Any:
        """A value as the field understands it, so that "30" typed and 30 recorded compare equal."""
        field = self.fields[name]
        if isinstance(field, forms.MultipleChoiceField):
            return frozenset(str(item) for item in value or [])
        try:
            return field.to_python(value)
        except forms.ValidationError:
            return ("not understood", str(value))

    # -- the engine's input --------------------------------------------------------------------------------------
    def facts(self) -> dict[str, Any]:
        """Return the engine's input (ARCHITECTURE §4) from the cleaned data; only what was given."""
        data = self.cleaned_data
        child = self.is_child_now()
        facts: dict[str, Any] = {"act_date": data["act_date"].isoformat()}
        if data.get("victim_date_of_birth"):
            facts["victim_date_of_birth"] = data["victim_date_of_birth"].isoformat()
        elif data.get("victim_age") is not None:
            facts["victim_age"] = data["victim_age"]
        if data.get("appears_minor"):
            facts["appears_minor"] = True
        for key in ("acts", "purposes", "exploitation_occurred"):
            if data.get(key):
                facts[key] = list(data[key])
        if data.get("means") and not child:
            facts["means"] = list(data["means"])
            if "abuse_of_vulnerability" in data["means"]:
                facts["vulnerability_evidenced"] = bool(data.get("vulnerability_evidenced"))
                facts["vulnerability_abuse_evidenced"] = bool(data.get("vulnerability_abuse_evidenced"))
        for key in ("moved_across_kr_border", "crossed_border", "illegal_border_crossing"):
            if data.get(key):
                facts[key] = True
        if not child:
            for key in ("free_consent_prostitution", "foreseen_slave_like_dependency"):
                if data.get(key):
                    facts[key] = True
        if data.get("suspect_age") is not None:
            facts["suspect_age"] = data["suspect_age"]
        if data.get("suspect_sane") in ("yes", "no"):
            facts["suspect_sane"] = data["suspect_sane"] == "yes"
        return facts

    def context_flags(self) -> dict[str, Any]:
        """Return what the screening records besides the engine's facts."""
        data = self.cleaned_data
        child = self.is_child_now()
        return {
            "victim": data.get("victim"),
            "person_not_identified": bool(data.get("person_not_identified")),
            "act_date_unknown": bool(data.get("act_date_unknown")),
            "indicators": list(data.get("child_indicators") if child else data.get("adult_indicators") or []),
            "vulnerability": list(data.get("vulnerability") or []),
            "vulnerability_kinds": list(data.get("vulnerability_kinds") or []),
            "vulnerability_factors": list(data.get("vulnerability_factors") or []),
            "violence_against_women": bool(data.get("violence_against_women")),
            # yes / no as answered; not known yet (or not answered where it is optional): None. Not asked of adults.
            "sexual_violence": {"yes": True, "no": False}.get(data.get("sexual_violence") or "") if child else False,
            "high_risk": bool(data.get("high_risk")),
            "notes": data.get("notes", ""),
        }


def _person_label(victim: Victim) -> str:
    """A person as the choice names them: the name, and the date of birth to tell namesakes apart."""
    if victim.date_of_birth:
        return f"{victim}, {victim.date_of_birth:%d.%m.%Y}"
    return str(victim)


def identity_of(victim: Victim) -> dict[str, Any] | None:
    """Return the identity fields from the person's record, or None when the record says nothing of the age."""
    if not (victim.date_of_birth or victim.approximate_age is not None or victim.appears_minor):
        return None
    return {
        "victim_date_of_birth": victim.date_of_birth,
        "victim_age": None if victim.date_of_birth else victim.approximate_age,
        "appears_minor": victim.appears_minor,
    }


def with_identity_of_the_chosen_person(data: QueryDict, case: Case) -> QueryDict:
    """Return the posted data with the age fields taken from the person just chosen (the live preview's swap).

    What the officer typed stays when the choice is "not yet identified" or the record says nothing of the age.
    """
    victim = case.victims.filter(pk=data.get("victim")).first() if _is_uuid(data.get("victim")) else None
    identity = identity_of(victim) if victim is not None else None
    if identity is None:
        return data
    data = data.copy()
    born, age = identity["victim_date_of_birth"], identity["victim_age"]
    data["victim_date_of_birth"] = born.isoformat() if born else ""
    data["victim_age"] = "" if age is None else str(age)
    if identity["appears_minor"]:
        data["appears_minor"] = "on"
    else:
        data.pop("appears_minor", None)
    return data


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class ObligationDoneForm(PlausibleInputMixin, forms.Form):
    """A due item marked done, with a short note of what was done (the service says when the note is required)."""

    note = forms.CharField(
        label=_("What was done: to whom, document number"),
        required=False,
        max_length=Obligation._meta.get_field("note").max_length,
    )
