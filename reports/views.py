"""The rapport pages of a case and the head's print queue: thin views over the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.readers import reader_from
from cases.closed import refuse_closed_case
from cases.models import PersonalDataAccess
from cases.selectors import user_can_change_case
from screening.qualification import LABELS

from . import selectors, services
from .forms import RapportForm, RapportRegisterForm, RapportReturnForm, RapportStartForm, add_service_errors
from .models import Rapport, RapportItem


def _may_edit(request: HttpRequest, case, rapport: Rapport | None) -> bool:
    """Case workers who may change the case edit its draft (and start it)."""
    if rapport is not None and rapport.status != Rapport.Status.DRAFT:
        return False
    return case.status != case.Status.CLOSED and user_can_change_case(user=request.user, case=case)


def _qualification(rapport: Rapport | None) -> dict:
    """The snapshot's verdict label and explanation, in the reader's language (the document's when not written)."""
    if rapport is None or not rapport.qualification_verdict:
        return {}
    language = (get_language() or "ky")[:2]
    labels = LABELS.get(rapport.qualification_verdict, {})
    explanation = rapport.qualification_explanation or {}
    return {
        "verdict": labels.get(language) or labels.get(rapport.language) or rapport.qualification_verdict,
        "articles": rapport.qualification_articles,
        "explanation": explanation.get(language) or explanation.get(rapport.language, ""),
    }


def _page(request: HttpRequest, case, rapport: Rapport | None, *, form: BaseForm | None = None, status: int = 200,
          refused: str = "") -> HttpResponse:  # fmt: skip
    """Render the rapport page; `form` is a refused form (named by `refused`), shown with its errors."""
    user = request.user
    may_edit = _may_edit(request, case, rapport)
    is_head = rapport is not None and selectors.user_heads_unit_of(user=user, case=case)
    edit_form = form if refused == "edit" else None
    if edit_form is None and rapport is not None and may_edit:
        edit_form = RapportForm(case=case, rapport=rapport)
    context = {
        "case": case,
        "rapport": rapport,
        "form": form if form is not None else edit_form,
        "edit_form": edit_form,
        "start_form": (form if refused == "start" else RapportStartForm()) if rapport is None and may_edit else None,
        "return_form": form if refused == "return" else RapportReturnForm(auto_id="return-%s"),
        "register_form": form if refused == "register" else RapportRegisterForm(auto_id="register-%s"),
        "is_head": is_head,
        "can_return": is_head and rapport.status in (Rapport.Status.SUBMITTED, Rapport.Status.APPROVED),
        "can_approve": is_head and rapport.status == Rapport.Status.SUBMITTED and rapport.submitted_by_id != user.pk,
        "can_register": is_head and rapport.status == Rapport.Status.APPROVED,
        "due_immediately": selectors.rapport_due_immediately(case=case, rapport=rapport),
        "qualification": _qualification(rapport),
        "missing": [RapportItem(code).label for code in rapport.item_missing()] if rapport else [],
        "item_values": _item_values(rapport),
        "refused": refused,
    }
    return render(request, "reports/rapport_page.html", context, status=status)


def _item_values(rapport: Rapport | None) -> list[dict]:
    if rapport is None:
        return []
    return [
        {"code": code, "label": label, "text": getattr(rapport, code), "unknown": getattr(rapport, f"{code}_unknown")}
        for code, label in RapportItem.choices
    ]


@login_required
@require_GET
def rapport_page(request: HttpRequest, case_id) -> HttpResponse:
    case, rapport = selectors.rapport_get_for_reader(reader=reader_from(request), case_id=case_id)
    return _page(request, case, rapport)


@login_required
@require_POST
def rapport_start(request: HttpRequest, case_id) -> HttpResponse:
    case, rapport = selectors.rapport_get_for_user(user=request.user, case_id=case_id)
    if not _may_edit(request, case, None):
        refuse_closed_case(case)
        raise Http404
    form = RapportStartForm(request.POST)
    if form.is_valid():
        try:
            services.rapport_start(case=case, actor=request.user, language=form.cleaned_data["language"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rapport was started from what the case records: check every item."))
            return redirect("reports:rapport", case_id=case.pk)
    case, rapport = selectors.rapport_get_for_reader(reader=reader_from(request), case_id=case_id)
    return _page(request, case, rapport, form=form, refused="start")


@login_required
@require_POST
def rapport_save(request: HttpRequest, case_id) -> HttpResponse:
    """Save the draft; with `submit`, send it to the head too (refused, naming the items still wanting)."""
    reader = reader_from(request)
    case, rapport = selectors.rapport_get_for_reader(
        reader=reader, case_id=case_id, action=PersonalDataAccess.Action.EDIT_FORM
    )
    if rapport is None:
        raise Http404
    if not _may_edit(request, case, rapport):
        refuse_closed_case(case)
        if rapport.status != Rapport.Status.DRAFT:
            messages.error(request, _("The rapport is no longer a draft: it cannot be edited."))
            return redirect("reports:rapport", case_id=case.pk)
        raise Http404
    form = RapportForm(request.POST, case=case)
    if not form.is_valid():
        return _page(request, case, rapport, form=form, refused="edit")
    try:
        rapport = services.rapport_update(
            rapport=rapport, actor=request.user, data=form.data_for_service(), version=form.cleaned_data["version"]
        )
    except services.StaleEditError:
        form.add_error(
            None, _("Someone saved this rapport after you opened it. Nothing was overwritten: reload the page.")
        )
        return _page(request, case, rapport, form=form, refused="edit", status=409)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, case, rapport, form=form, refused="edit")
    if "submit" not in request.POST:
        messages.success(request, _("The draft was saved."))
        return redirect("reports:rapport", case_id=case.pk)
    try:
        services.rapport_submit(rapport=rapport, actor=request.user)
    except ValidationError as exc:
        # The draft is saved: the form shows what is wanting, with the version just saved.
        form = RapportForm({**request.POST.dict(), "version": rapport.version}, case=case)
        form.is_valid()
        add_service_errors(form, exc)
        return _page(request, case, rapport, form=form, refused="edit")
    messages.success(request, _("The rapport was submitted to the head of department."))
    return redirect("reports:rapport", case_id=case.pk)


def _head_change(request: HttpRequest, case_id, *, form: BaseForm | None, refused: str, change, done: str):
    case, rapport = selectors.rapport_get_for_head(user=request.user, case_id=case_id)
    refuse_closed_case(case)
    if form is not None and not form.is_valid():
        return _refused_head_page(request, case, rapport, form=form, refused=refused)
    try:
        change(rapport=rapport, **(form.cleaned_data if form is not None else {}))
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
            return redirect("reports:rapport", case_id=case.pk)
        add_service_errors(form, exc)
        return _refused_head_page(request, case, rapport, form=form, refused=refused)
    messages.success(request, done)
    return redirect("reports:rapport", case_id=case.pk)


def _refused_head_page(request: HttpRequest, case, rapport: Rapport, *, form: BaseForm, refused: str):
    """The rapport page again, with the head's refused form: it shows the rapport, so the read is logged."""
    action = PersonalDataAccess.Action.VIEW
    selectors.rapport_read_record(reader=reader_from(request), case=case, rapport=rapport, action=action)
    rapport.refresh_from_db()
    return _page(request, case, rapport, form=form, refused=refused)


@login_required
@require_POST
def rapport_return(request: HttpRequest, case_id) -> HttpResponse:
    form = RapportReturnForm(request.POST, auto_id="return-%s")
    return _head_change(
        request, case_id, form=form, refused="return",
        change=lambda rapport, reason: services.rapport_return(rapport=rapport, actor=request.user, reason=reason),
        done=_("The rapport was returned to the officer."),
    )  # fmt: skip


@login_required
@require_POST
def rapport_approve(request: HttpRequest, case_id) -> HttpResponse:
    return _head_change(
        request, case_id, form=None, refused="",
        change=lambda rapport: services.rapport_approve(rapport=rapport, actor=request.user),
        done=_("The rapport was approved: register it in the КБР."),
    )  # fmt: skip


@login_required
@require_POST
def rapport_register(request: HttpRequest, case_id) -> HttpResponse:
    form = RapportRegisterForm(request.POST, auto_id="register-%s")
    return _head_change(
        request, case_id, form=form, refused="register",
        change=lambda rapport, **data: services.rapport_register(rapport=rapport, actor=request.user, **data),
        done=_("The rapport is registered in the КБР; the case is marked registered."),
    )  # fmt: skip


@login_required
@require_GET
def print_queue(request: HttpRequest) -> HttpResponse:
    if not selectors.user_sees_print_queue(user=request.user):
        raise Http404
    rapports = list(selectors.rapport_queue_for(user=request.user)[:200])
    return render(request, "reports/print_queue.html", {"rapports": rapports})
