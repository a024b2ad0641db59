"""The filter of the statistics page: a period and one of the user's units."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from accounts.models import Unit
from accounts.validators import IN_THE_FUTURE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_MONTHS = 12


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    start = today.replace(day=1)
    for _month in range(DEFAULT_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


class StatisticsFilterForm(PlausibleInputMixin, forms.Form):
    """Filter by the day the report came in (from, to; both included) and by a unit of the user's tree."""

    date_from = forms.DateField(label=_("Reports received from"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("to (inclusive)"), required=False, widget=DATE_WIDGET)
    unit = forms.ChoiceField(label=_("Unit (with the units below it)"), required=False)

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        self.units = {str(unit.pk): unit for unit in units}
        super().__init__(*args, **kwargs)
        # Choices from the user's own units: any other value, however long or strange, is "not a valid choice",
        # without a lookup of it in the database.
        self.fields["unit"].choices = [("", _("— all your units —"))] + [
            (pk, "\u2003" * max(unit.depth - units[0].depth, 0) + unit.display_name) for pk, unit in self.units.items()
        ]

    def _not_in_the_future(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is not None and value > timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError(IN_THE_FUTURE, code="in_the_future")
        return value

    def clean_date_from(self) -> date | None:
        return self._not_in_the_future("date_from")

    def clean_date_to(self) -> date | None:
        return self._not_in_the_future("date_to")

    def clean_unit(self) -> Unit | None:
        return self.units.get(self.cleaned_data.get("unit") or "")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period comes before its start: give a later date."))
        return data
