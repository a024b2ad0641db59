"""Export links on the case list: the case list (cases app) loads them from here, the higher app."""

from django import template

from cases.filters import CaseFilter
from cases.models import PersonalDataAccess

from .. import exports, htcds

register = template.Library()

CASE_FILTER_PARAMS = tuple(CaseFilter.base_filters)


@register.inclusion_tag("reports/_case_export_form.html", takes_context=True)
def case_export_form(context) -> dict:
    """The export form of the list as filtered now (re-rendered with the rows, so it follows every filter change)."""
    request = context["request"]
    if not exports.user_may_export_case_list(user=request.user):
        return {"show": False}
    params = [(name, value) for name in CASE_FILTER_PARAMS for value in request.GET.getlist(name) if value]
    return {
        "show": True,
        "params": params,
        "may_personal": exports.user_may_export_personal_data(user=request.user),
        "purposes": [(value, PersonalDataAccess.Purpose(value).label) for value in exports.EXPORT_PURPOSES],
    }


@register.inclusion_tag("reports/_exports_link.html", takes_context=True)
def exports_link(context) -> dict:
    user = context["request"].user
    show = exports.user_may_export_case_list(user=user) or htcds.user_may_run_htcds_export(user=user)
    return {"show": show}
