"""The form of the anonymised export (the case-list exports reuse the case list's own filter, cases.filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .htcds import htcds_units_for

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


class HtcdsExportForm(forms.Form):
    year_from = forms.IntegerField(
        label=_("Registered from the year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    year_to = forms.IntegerField(
        label=_("Registered up to the year"), required=False, min_value=EARLIEST_YEAR, max_value=LATEST_YEAR
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All"))
    format = forms.ChoiceField(
        label=_("File format"), choices=[("csv", "CSV"), ("json", "JSON")], initial="csv", required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = htcds_units_for(user=user)

    def clean(self) -> dict:
        cleaned = super().clean()
        year_from, year_to = cleaned.get("year_from"), cleaned.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            self.add_error("year_to", _("The last year cannot be before the first year."))
        cleaned["format"] = cleaned.get("format") or "csv"
        return cleaned
