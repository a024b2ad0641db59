"""Export pages: thin views over reports.exports (case list as CSV / XLSX) and reports.htcds (anonymised export).

A role that may not export answers 404, like a foreign case. Bad filters are answered with the page and its errors
(400), never with an export of more than was asked for.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.readers import reader_from

from . import exports, htcds
from .forms_exports import HtcdsExportForm

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def exports_page(request: HttpRequest) -> HttpResponse:
    """What can be exported, and the form of the anonymised export."""
    may_htcds = htcds.user_may_run_htcds_export(user=request.user)
    if not (exports.user_may_export_case_list(user=request.user) or may_htcds):
        raise Http404
    form = HtcdsExportForm(user=request.user) if may_htcds else None
    return _page(request, htcds_form=form)


def _page(request: HttpRequest, *, status: int = 200, **context) -> HttpResponse:
    context.setdefault("htcds_form", None)
    context.setdefault("case_filter_form", None)
    context.setdefault("problem", "")
    context["form"] = context["case_filter_form"] or context["htcds_form"]  # the refused form, for its errors
    context["may_export_cases"] = exports.user_may_export_case_list(user=request.user)
    context["may_export_personal_data"] = exports.user_may_export_personal_data(user=request.user)
    context["xlsx_max_rows"] = exports.XLSX_MAX_ROWS
    return render(request, "reports/exports.html", context, status=status)


def _case_export(request: HttpRequest, *, kind: str) -> HttpResponse:
    """Export the filtered case list as `kind` (csv or xlsx), or answer why not."""
    if not exports.user_may_export_case_list(user=request.user):
        raise Http404
    now = timezone.now()
    case_filter = exports.case_export_filter(user=request.user, params=request.GET, now=now)
    if case_filter.is_bound and not case_filter.form.is_valid():
        return _page(request, status=400, case_filter_form=case_filter.form)
    with_personal_data = exports.wants_personal_data(request.GET)
    if with_personal_data and not exports.user_may_export_personal_data(user=request.user):
        raise Http404
    cases = exports.case_export_queryset(case_filter, now=now)
    headers = [str(column.header) for column in exports.columns_for(with_personal_data=with_personal_data)]
    reader = reader_from(request) if with_personal_data else None
    purpose = exports.export_purpose(request.GET)
    if kind == "xlsx":
        count = cases.count()
        if count > exports.XLSX_MAX_ROWS:
            problem = _(
                "The list holds {count} cases; a spreadsheet holds at most {limit}. Narrow the filters, or export CSV."
            ).format(count=count, limit=exports.XLSX_MAX_ROWS)
            return _page(request, status=400, problem=problem)
        rows = exports.case_export_rows(cases, with_personal_data=with_personal_data, reader=reader, purpose=purpose)
        output = exports.xlsx_file(headers, rows, title=_("Cases"))
        name = exports.export_filename("cases", "xlsx", now=now)
        response = FileResponse(output, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
    else:
        rows = exports.case_export_rows(cases, with_personal_data=with_personal_data, reader=reader, purpose=purpose)
        response = StreamingHttpResponse(exports.csv_stream(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, exports.export_filename("cases", "csv", now=now)
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def cases_csv(request: HttpRequest) -> HttpResponse:
    return _case_export(request, kind="csv")


@login_required
@require_GET
def cases_xlsx(request: HttpRequest) -> HttpResponse:
    return _case_export(request, kind="xlsx")


@login_required
@require_GET
def htcds_export(request: HttpRequest) -> HttpResponse:
    if not htcds.user_may_run_htcds_export(user=request.user):
        raise Http404
    form = HtcdsExportForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, status=400, htcds_form=form)
    cases = htcds.htcds_cases_for(user=request.user)
    if form.cleaned_data["unit"] is not None:
        cases = cases.filter(unit__path__startswith=form.cleaned_data["unit"].path)
    victims = htcds.htcds_victims(cases, year_from=form.cleaned_data["year_from"], year_to=form.cleaned_data["year_to"])
    records = htcds.htcds_rows(victims)
    now = timezone.now()
    if form.cleaned_data["format"] == "json":
        response = StreamingHttpResponse(htcds.htcds_json_stream(records), content_type="application/json")
        name = exports.export_filename("htcds", "json", now=now)
    else:
        stream = exports.csv_stream(list(htcds.FIELDS), htcds.htcds_csv_rows(records), delimiter=",")
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        name = exports.export_filename("htcds", "csv", now=now)
    response["Content-Disposition"] = content_disposition_header(True, name)
    patch_cache_control(response, private=True, no_store=True)
    return response
