"""Forms of the rapport pages; validation messages in the user's language."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from accounts.validators import validate_not_in_the_future
from cases.forms import DateInput, ReasonForm, add_service_errors  # noqa: F401 - the rapport pages' API
from cases.models import Case

from .models import RAPPORT_ITEMS, Rapport, RapportItem
from .selectors import heads_above

ITEM_MAX_LENGTH = 10_000


class RapportStartForm(PlausibleInputMixin, forms.Form):
    """The language the rapport is written in: its items are prefilled in it."""

    language = forms.ChoiceField(label=_("language of the document"), choices=Rapport.Language.choices)


class RapportForm(PlausibleInputMixin, forms.Form):
    """The draft: the seven items, each a text or "not known", the addressee and the language of the document."""

    language = forms.ChoiceField(label=_("language of the document"), choices=Rapport.Language.choices)
    addressee = forms.ModelChoiceField(
        label=_("addressee (head of department)"),
        queryset=None,
        required=False,
        help_text=_("A head of department of the case's unit or of a unit above it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case: Case, rapport: Rapport | None = None, **kwargs) -> None:
        if rapport is not None and not kwargs.get("data") and not args:
            kwargs.setdefault("initial", _initial_of(rapport))
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = heads_above(case=case)
        self.fields["addressee"].label_from_instance = _head_label

    def items(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """The seven items as (text, not known) pairs, in the handbook's order."""
        return [(self[code], self[f"{code}_unknown"]) for code in RAPPORT_ITEMS]

    def clean(self) -> dict:
        cleaned = super().clean()
        for code in RAPPORT_ITEMS:
            if cleaned.get(code) and cleaned.get(f"{code}_unknown"):
                self.add_error(code, _("Either write it or mark it not known, not both."))
        return cleaned

    def data_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def _item_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for code in RAPPORT_ITEMS:
        fields[code] = forms.CharField(
            label=RapportItem(code).label,
            required=False,
            max_length=ITEM_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
        fields[f"{code}_unknown"] = forms.BooleanField(label=_("not known"), required=False)
    return fields


# The seven items are fields of the class, so that the shared checks (hidden characters) reach them too.
RapportForm.base_fields = {**RapportForm.base_fields, **_item_fields()}
RapportForm.declared_fields = RapportForm.base_fields


def _initial_of(rapport: Rapport) -> dict:
    initial = {"language": rapport.language, "addressee": rapport.addressee_id, "version": rapport.version}
    for code in RAPPORT_ITEMS:
        initial[code] = getattr(rapport, code)
        initial[f"{code}_unknown"] = getattr(rapport, f"{code}_unknown")
    return initial


def _head_label(user) -> str:
    parts = [user.get_full_name() or user.username, user.position, user.unit.display_name if user.unit else ""]
    return " · ".join(part for part in parts if part)


class RapportRegisterForm(PlausibleInputMixin, forms.Form):
    """The КБР registration number and date, as the register assigned them."""

    kbr_number = forms.CharField(label=_("КБР registration number"), max_length=60)
    kbr_registered_at = forms.DateField(
        label=_("КБР registration date"), widget=DateInput(), validators=[validate_not_in_the_future]
    )

    def clean_kbr_number(self) -> str:
        value = self.cleaned_data["kbr_number"]
        if not value.strip():
            raise ValidationError(_("Enter the КБР registration number."))
        return value


class RapportReturnForm(ReasonForm):
    """Why the head returns the rapport to draft: required, shown to the officer and kept in its history."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, label=_("Why it is returned"), **kwargs)
        self.fields["reason"].help_text = _("The officer sees it on the rapport; it is kept in its history.")
