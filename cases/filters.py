"""Search, filters and sort orders of the case list (django-filter)."""

from datetime import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import Case
from .selectors import case_overdue_condition, case_search_condition, user_can_see_personal_data

DEFAULT_SORT = "-received"
# Statuses in the order the work goes through them, not in the alphabet of their codes.
_STATUS_IN_ORDER_OF_WORK = models.Case(
    *(When(status=status, then=Value(position)) for position, status in enumerate(Case.Status.values)),
    default=Value(len(Case.Status.values)),
)
# Each order ends on the time received, newest first, so that a page never reshuffles between two requests.
SORT_ORDERS = {
    "-received": ("-received_at",),
    "received": ("received_at",),
    "due": (F("next_due_at").asc(nulls_last=True), "-received_at"),
    "status": (_STATUS_IN_ORDER_OF_WORK, "-received_at"),
}
SORT_CHOICES = [
    ("-received", _("Newest first")),
    ("received", _("Oldest first")),
    ("due", _("Soonest due item first")),
    ("status", _("By status, in the order of the work")),
]


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
    unassigned = django_filters.BooleanFilter(
        label=_("Unassigned"), method="only_unassigned", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="only_overdue", widget=forms.CheckboxInput)
    # Read by the view (`ordering`) after the due items are annotated, so it filters nothing here.
    sort = django_filters.ChoiceFilter(label=_("Sort"), choices=SORT_CHOICES, empty_label=None, method="keep")

    class Meta:
        model = Case
        fields = ["q", "status", "source", "received_from", "received_to", "unit", "mine", "unassigned", "overdue"]

    def __init__(self, *args, user=None, units=None, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.now = now or timezone.now()
        self.filters["unit"].queryset = units
        if units is None or units.count() <= 1:
            del self.filters["unit"]

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Match the case number, the place, or a victim by name in any script, phone or document number."""
        value = value.strip()
        if not value:
            return queryset
        # Analysts and NGO staff must not learn which case holds a given name, phone or document number.
        return queryset.filter(case_search_condition(value, include_victims=self.searches_people))

    def only_mine(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(Q(assigned_officer=self.user) | Q(created_by=self.user))

    def only_unassigned(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(assigned_officer__isnull=True)

    def only_overdue(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(case_overdue_condition(now=self.now))

    def keep(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset

    @property
    def sort_key(self) -> str:
        """The chosen sort order; the default one when none, or one that is not offered, was asked for."""
        if not self.is_bound:
            return DEFAULT_SORT
        self.form.is_valid()  # a refused value is left out of cleaned_data, and shown as the field's error
        return self.form.cleaned_data.get("sort") or DEFAULT_SORT

    def ordering(self) -> tuple:
        """Order-by terms of the chosen sort; sorting by the due item needs `selectors.case_list_with_due_items`."""
        return SORT_ORDERS[self.sort_key]

    @property
    def narrows(self) -> bool:
        """Whether the search or a filter is in use (then "nothing matches" means something, and can be cleared)."""
        return bool(self.data.get("q", "").strip()) or self.active_count > 0

    @property
    def active_count(self) -> int:
        """How many filters, the search and the sort left aside, are in use: shown on the folded filters."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.filters if name not in ("q", "sort") and self.data.get(name, "").strip())

    @property
    def searches_people(self) -> bool:
        """Whether the search looks for victims too (not for roles that never see personal data)."""
        return self.user is not None and user_can_see_personal_data(user=self.user)
