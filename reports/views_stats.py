"""The statistics page of heads of department and analysts."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import charts
from .stats import Statistics, Table, statistics_for, statistics_units_for, user_sees_statistics
from .stats_forms import StatisticsFilterForm, default_period


@dataclass(frozen=True)
class Section:
    """A table of the page, with its heading, its chart (or none) and what the rows count."""

    table: Table
    title: str
    counted: str
    chart: SafeString | None = None
    note: str = ""


def _bars(table: Table) -> list[charts.Bar]:
    return [charts.Bar(row.label, row.cells[0].value, row.cells[0].shown) for row in table.rows]


def _chart(table: Table, title: str, *, columns: bool = False) -> SafeString | None:
    if not table.rows:
        return None
    draw = charts.column_chart if columns else charts.horizontal_bar_chart
    svg = draw(
        chart_id=f"chart-{table.key}",
        title=title,
        description=_("The same figures are in the table under the chart."),
        bars=_bars(table),
    )
    return mark_safe(svg)  # noqa: S308 - every text in it is escaped by reports.charts


def _sections(figures: Statistics) -> list[Section]:
    several = _("A case may count in several rows: the rows do not add up to the number of cases.")
    parts = [
        (figures.by_article, _("By article of the Criminal Code"), _("Cases, by the latest screening"), False, ""),
        (figures.by_month, _("By month the report came in"), _("Cases"), True, ""),
        (figures.by_unit, _("By unit"), _("Cases"), False, ""),
        (figures.by_sex, _("Victims by sex"), _("Persons"), False, ""),
        (figures.by_age, _("Victims by age group"), _("Persons, age on the day the report came in"), False, ""),
        (figures.by_purpose, _("By purpose of exploitation"), _("Cases, by the latest screening"), False, several),
        (figures.by_country_role, _("By the role of the Kyrgyz Republic"), _("Cases"), False, several),
    ]
    return [
        Section(table, title, counted, _chart(table, title, columns=columns), note)
        for table, title, counted, columns, note in parts
    ]


@login_required
@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts of the cases of the user's units for a period; exact for heads, small counts suppressed for analysts."""
    if not user_sees_statistics(user=request.user):
        raise Http404
    units = list(statistics_units_for(user=request.user))
    if request.GET:
        form = StatisticsFilterForm(request.GET, units=units)
        chosen = form.cleaned_data if form.is_valid() else None
    else:
        start, end = default_period(timezone.localdate())
        form = StatisticsFilterForm(initial={"date_from": start, "date_to": end}, units=units)
        chosen = {"date_from": start, "date_to": end, "unit": None}
    figures = statistics_for(user=request.user, units=units, **chosen) if chosen is not None else None
    return render(
        request,
        "reports/statistics.html",
        {
            "form": form,
            "figures": figures,
            "chosen": chosen,
            "sections": _sections(figures) if figures is not None else [],
        },
    )
