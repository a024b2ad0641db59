"""The screening wizard's form: one form, shown step by step, turned into the engine's facts."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from cases.ages import ADULT_AGE, age_at
from cases.models import Case, Victim

from . import indicators
from .help_texts import ACT_HELP, MEANS_HELP, PURPOSE_HELP
from .models import Obligation
from .qualification import ACTS, LABELS, MEANS, PURPOSES

TRI_STATE = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]


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


def _dict_multi(label, options: dict) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple, choices=list(options.items())
    )


class ScreeningForm(PlausibleInputMixin, forms.Form):
    # Step 1: identity and age
    victim = forms.ModelChoiceField(label=_("Person"), queryset=Victim.objects.none(), required=False)
    act_date = forms.DateField(
        label=_("Date of the act"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
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
    vulnerability = _dict_multi(_("Vulnerability"), indicators.ALL_VULNERABILITY)
    vulnerability_kinds = _dict_multi(_("Kind of vulnerability"), indicators.VULNERABILITY_KINDS)
    vulnerability_factors = _dict_multi(_("Factors"), indicators.VULNERABILITY_FACTORS)
    # Step 4: elements
    acts = _multi(_("Acts"), ACTS, ACT_HELP)
    means = _multi(_("Means"), MEANS, MEANS_HELP)
    purposes = _multi(_("Purposes of exploitation"), PURPOSES, PURPOSE_HELP)
    vulnerability_evidenced = forms.BooleanField(
        label=_("Evidence that the person had no other real and acceptable option, and reasonably believed so"),
        required=False,
    )
    vulnerability_abuse_evidenced = forms.BooleanField(
        label=_("Evidence that the trafficker deliberately abused that vulnerability for exploitation"),
        required=False,
    )
    # Step 5: further facts
    moved_across_kr_border = forms.BooleanField(
        label=_("The transportation carried the person across the state border of the Kyrgyz Republic"),
        required=False,
    )
    crossed_border = forms.BooleanField(label=_("The person crossed a state border"), required=False)
    illegal_border_crossing = forms.BooleanField(label=_("The border was crossed illegally"), required=False)
    free_consent_prostitution = forms.BooleanField(
        label=_(
            "Recruited for prostitution with real voluntary consent, keeping full personal freedom, on pre-agreed terms"
        ),
        required=False,
    )
    foreseen_slave_like_dependency = forms.BooleanField(
        label=_("The recruiter foresaw that the person would end up fully dependent, in a slave-like state"),
        required=False,
    )
    exploitation_occurred = _multi(_("Exploitation actually carried out"), PURPOSES)
    suspect_age = forms.IntegerField(label=_("Suspect's age at the act"), required=False, min_value=0, max_value=120)
    suspect_sane = forms.TypedChoiceField(
        label=_("Suspect is sane"), choices=TRI_STATE, required=False, coerce=str, empty_value=""
    )
    violence_against_women = forms.BooleanField(label=_("Violence against a woman was found"), required=False)
    sexual_violence = forms.BooleanField(label=_("A child suffered sexual violence"), required=False)
    high_risk = forms.BooleanField(label=_("High risk of further violence"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["victim"].queryset = case.victims.all()
        self.fields["victim"].label_from_instance = lambda v: f"{v.full_name}"
        if not self.is_bound:
            self.initial.setdefault("act_date", case.act_date)
            victim = case.victims.first()
            if victim is not None:
                self.initial.setdefault("victim", victim.pk)
                self.initial.setdefault("victim_date_of_birth", victim.date_of_birth)
                self.initial.setdefault("victim_age", victim.approximate_age if not victim.date_of_birth else None)
                self.initial.setdefault("appears_minor", victim.appears_minor)

    def clean_act_date(self) -> date:
        """The future is refused here; a date before 1900 already by the project's date validator (the form mixin)."""
        act = self.cleaned_data["act_date"]
        if act > timezone.localdate():  # today in Asia/Bishkek (TIME_ZONE), not on the server's clock
            raise forms.ValidationError(_("The date of the act cannot be in the future."), code="future")
        return act

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        born, act = cleaned.get("victim_date_of_birth"), cleaned.get("act_date")
        if born and act and born > act:
            self.add_error("victim_date_of_birth", _("The date of birth is after the date of the act."))
        return cleaned

    # -- what the page needs while it is being filled in -------------------------------------------------------
    def value(self, name: str) -> Any:
        """The current value of a field: cleaned when bound and valid for it, else the initial one."""
        if self.is_bound:
            if hasattr(self, "cleaned_data") and name in self.cleaned_data:
                return self.cleaned_data[name]
            return self[name].value()
        return self.initial.get(name, self.fields[name].initial)

    def is_child_now(self) -> bool:
        """Whether the person is treated as a child with the facts given so far (decides which lists are shown)."""
        born, act, age = self.value("victim_date_of_birth"), self.value("act_date"), self.value("victim_age")
        born, act = _as_date(born), _as_date(act)
        if born and act and born <= act:
            return age_at(born, act) < ADULT_AGE
        try:
            if age not in (None, ""):
                return int(age) < ADULT_AGE
        except (TypeError, ValueError):
            pass
        return bool(self.value("appears_minor"))

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
            "indicators": list(data.get("child_indicators") if child else data.get("adult_indicators") or []),
            "vulnerability": list(data.get("vulnerability") or []),
            "vulnerability_kinds": list(data.get("vulnerability_kinds") or []),
            "vulnerability_factors": list(data.get("vulnerability_factors") or []),
            "violence_against_women": bool(data.get("violence_against_women")),
            "sexual_violence": bool(data.get("sexual_violence")) and child,
            "high_risk": bool(data.get("high_risk")),
            "notes": data.get("notes", ""),
        }


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
