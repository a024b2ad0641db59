"""The rapport's panel on the case page (cases never imports reports: the template loads this library)."""

from django import template

from reports import selectors

register = template.Library()


@register.inclusion_tag("reports/_case_panel.html", takes_context=True)
def case_rapport_panel(context, case) -> dict:
    """The rapport's status and a link to it, and whether it is due immediately; only for those who read rapports."""
    user = context["request"].user
    if not selectors.user_may_read_rapports(user=user):
        return {"shown": False}
    rapport, due_immediately = selectors.rapport_panel_of(case=case)
    return {"shown": True, "case": case, "rapport": rapport, "due_immediately": due_immediately}
