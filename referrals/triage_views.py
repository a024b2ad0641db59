"""The triage queue and "my due items": thin views over referrals.triage_selectors and referrals.triage.

A refused form (a note missing, a person not in the list) shows the page again with the error beside the item and at
the top, what was typed kept (400); a refused claim (someone else took it first) says so in a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from cases.forms import add_service_errors
from screening.forms import ObligationDoneForm
from screening.labels import OBLIGATION_LABELS

from . import services, triage
from . import triage_selectors as selectors
from .triage_forms import AssignForm, IntlDecisionForm

PAGE_SIZE = 50
TRIAGE, MINE = "triage", "my"


def _tab(value: str | None) -> str:
    return value if value in selectors.TABS else selectors.TAB_ALL


def _page(request: HttpRequest, which: str, *, tab: str, status: int = 200, refused=None) -> HttpResponse:
    """One of the two lists; `refused` is (item, action, bound form) of a refused post, shown on its row."""
    user, now = request.user, timezone.now()
    if which == TRIAGE:
        if not selectors.user_has_triage(user=user):
            raise Http404
        items, counts = selectors.triage_queue(user=user, now=now), None
    else:
        if not selectors.user_has_due_items(user=user):
            raise Http404
        items = selectors.my_due_items(user=user, now=now, tab=tab)
        counts = selectors.my_tab_counts(user=user, now=now)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.due_rows(user=user, items=list(page.object_list), now=now)
    context = {"which": which, "tab": tab, "counts": counts, "page": page, "rows": rows, "tabs": _tab_links(counts)}
    if refused is not None:
        obligation, action, form = refused
        for row in rows:
            if row.obligation.pk == obligation.pk:
                row.refused_form, row.refused_action = form, action
        context["form"] = form
        context["refused_subject"] = _("{label} — case {number}").format(
            label=OBLIGATION_LABELS.get(obligation.code, obligation.code), number=obligation.case.number
        )
    return render(request, "referrals/due_items.html", context, status=status)


def _tab_links(counts: dict | None) -> list[tuple[str, str, int]]:
    if counts is None:
        return []
    names = {
        selectors.TAB_ALL: _("All open"),
        selectors.TAB_OVERDUE: _("Overdue"),
        selectors.TAB_TODAY: _("Due today"),
    }
    return [(tab, names[tab], counts[tab]) for tab in (selectors.TAB_OVERDUE, selectors.TAB_TODAY, selectors.TAB_ALL)]


@login_required
@require_safe
def triage_queue(request: HttpRequest) -> HttpResponse:
    """The duty unit's queue: the items for the duty officer and everything of the unit that is overdue."""
    return _page(request, TRIAGE, tab=selectors.TAB_ALL)


@login_required
@require_safe
def my_items(request: HttpRequest) -> HttpResponse:
    """The signed-in officer's due items: overdue, due today, or all open ones."""
    return _page(request, MINE, tab=_tab(request.GET.get("tab")))


def _where_from(request: HttpRequest) -> tuple[str, str]:
    """The list a post came from (read leniently: anything else is "my due items") and its tab."""
    which = TRIAGE if request.POST.get("back") == TRIAGE else MINE
    return which, _tab(request.POST.get("tab"))


def _back(request: HttpRequest, obligation=None) -> HttpResponse:
    which, tab = _where_from(request)
    if which == TRIAGE and selectors.user_has_triage(user=request.user):
        url = reverse("referrals:triage")
    else:
        url = reverse("referrals:my_items") + (f"?tab={tab}" if tab != selectors.TAB_ALL else "")
    return redirect(url + (f"#item-{obligation.pk}" if obligation is not None else ""))


def _refused(request: HttpRequest, obligation, action: str, form) -> HttpResponse:
    which, tab = _where_from(request)
    if which == TRIAGE and not selectors.user_has_triage(user=request.user):
        which = MINE
    return _page(request, which, tab=tab, status=400, refused=(obligation, action, form))


@login_required
@require_POST
def item_claim(request: HttpRequest, obligation_id) -> HttpResponse:
    obligation = selectors.obligation_get_for_triage(user=request.user, obligation_id=obligation_id)
    try:
        triage.obligation_claim(obligation=obligation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Taken: the item is yours."))
    return _back(request, obligation)


@login_required
@require_POST
def item_assign(request: HttpRequest, obligation_id) -> HttpResponse:
    obligation = selectors.obligation_get_for_triage(user=request.user, obligation_id=obligation_id)
    if not triage.may_assign(request.user, obligation):
        raise Http404
    row = selectors.due_rows(user=request.user, items=[obligation], now=timezone.now())[0]
    form = AssignForm(request.POST, candidates=row.candidates, auto_id=f"item-{obligation.pk}-%s")
    if form.is_valid():
        assignee = User.objects.get(pk=form.cleaned_data["assignee"])
        try:
            triage.obligation_assign(obligation=obligation, actor=request.user, assignee=assignee)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Given to {name}: they are told.").format(name=assignee))
            return _back(request, obligation)
    return _refused(request, obligation, "assign", form)


@login_required
@require_POST
def item_done(request: HttpRequest, obligation_id) -> HttpResponse:
    obligation = selectors.obligation_get_for_triage(user=request.user, obligation_id=obligation_id)
    form = ObligationDoneForm(request.POST, auto_id=f"item-{obligation.pk}-%s")
    if form.is_valid():
        try:
            triage.obligation_finish(obligation=obligation, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Marked as done."))
            return _back(request)
    return _refused(request, obligation, "done", form)


@login_required
@require_POST
def item_intl_decision(request: HttpRequest, obligation_id) -> HttpResponse:
    """The head's decision on informing International Cooperation (referrals.services.intl_cooperation_decide)."""
    obligation = selectors.obligation_get_for_triage(user=request.user, obligation_id=obligation_id)
    if not triage.may_decide_intl(request.user, obligation):
        raise Http404
    form = IntlDecisionForm(request.POST, auto_id=f"item-{obligation.pk}-%s")
    if form.is_valid():
        inform = form.cleaned_data["inform"]
        try:
            services.intl_cooperation_decide(
                obligation=obligation, actor=request.user, inform=inform, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if inform:
                messages.success(request, _("Decision recorded: the Directorate has the referral and the case."))
            else:
                messages.success(request, _("Decision recorded: the Directorate is not informed."))
            return _back(request)
    return _refused(request, obligation, "decide", form)
