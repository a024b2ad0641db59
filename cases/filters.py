"""Search and filters of the case list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import Case
from .selectors import case_search_condition, user_can_see_personal_data


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Case.Status.choices, empty_label=_("All"))
    source = django_filters.ChoiceFilter(
        label=_("How the report came in"), choices=Case.Source.choices, empty_label=_("All")
    )
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_at", lookup_expr="date__gte", widget=DateInput()
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), field_name="received_at", lookup_expr="date__lte", widget=DateInput()
    )
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=None, empty_label=_("All"))
    mine = django_filters.BooleanFilter(label=_("Only my cases"), method="only_mine", widget=forms.CheckboxInput)

    class Meta:
        model = Case
        fields = ["q", "status", "source", "received_from", "received_to", "unit", "mine"]

    def __init__(self, *args, user=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["unit"].queryset = units
        if units is None or units.count() <= 1:
            del self.filters["unit"]

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Match the case number, the place, or a victim by name in any script, phone or document number."""
        value = value.strip()
        if not value:
            return queryset
        # Analysts and NGO staff must not learn which case holds a given name, phone or document number.
        include_victims = self.user is not None and user_can_see_personal_data(user=self.user)
        return queryset.filter(case_search_condition(value, include_victims=include_victims))

    def only_mine(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(Q(assigned_officer=self.user) | Q(created_by=self.user))
