"""Referral pages: thin views that parse, call a selector or a service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.readers import reader_from

from . import selectors, services
from .forms import ReasonForm, ServiceUpdateForm
from .labels import payload_sections
from .models import Referral

PAGE_SIZE = 25


# -- the recipient's inbox (NGO staff, and police units that receive referrals) ----------------------------------------
@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The referrals sent to the organisation or unit the user acts for, newest change first, by state."""
    referrals = selectors.referral_inbox_for(user=request.user)
    status = request.GET.get("status", "")
    if status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": [(value, label) for value, label in Referral.Status.choices if value != Referral.Status.DRAFT],
        "recipients": selectors.recipients_acting_for(request.user),
    }
    return render(request, "referrals/inbox.html", context)


def _inbox_page(request: HttpRequest, referral_id, *, status: int = 200, **forms) -> HttpResponse:
    referral, payload = selectors.referral_shown_to_recipient(reader=reader_from(request), referral_id=referral_id)
    context = {
        "referral": referral,
        "payload": payload,
        "sections": payload_sections(payload),
        "form": forms.get("decline_form") or forms.get("service_form"),  # the refused one, if any
        "decline_form": forms.get("decline_form") or ReasonForm(),
        "service_form": forms.get("service_form") or ServiceUpdateForm(),
        "can_accept": referral.status in services.TRANSITIONS["accept"][0],
        "can_record": referral.status in (Referral.Status.ACCEPTED, Referral.Status.IN_SERVICE),
    }
    return render(request, "referrals/inbox_detail.html", context, status=status)


@login_required
@require_safe
def inbox_detail(request: HttpRequest, referral_id) -> HttpResponse:
    return _inbox_page(request, referral_id)


@login_required
@require_POST
def inbox_accept(request: HttpRequest, referral_id) -> HttpResponse:
    referral = selectors.referral_get_for_recipient(user=request.user, referral_id=referral_id)
    try:
        services.referral_accept(referral=referral, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Referral accepted: the officer is told."))
    return redirect("referrals:inbox_detail", referral_id=referral.pk)


@login_required
@require_POST
def inbox_decline(request: HttpRequest, referral_id) -> HttpResponse:
    referral = selectors.referral_get_for_recipient(user=request.user, referral_id=referral_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.referral_decline(referral=referral, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Referral declined: the officer is told, to refer the person elsewhere."))
        return redirect("referrals:inbox_detail", referral_id=referral.pk)
    return _inbox_page(request, referral.pk, status=400, decline_form=form)


@login_required
@require_POST
def inbox_service(request: HttpRequest, referral_id) -> HttpResponse:
    referral = selectors.referral_get_for_recipient(user=request.user, referral_id=referral_id)
    form = ServiceUpdateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_record_service(
                referral=referral, actor=request.user, service=data["service"], note=data["note"],
                given_on=data["given_on"], close=data["close"],
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved: the officer is told."))
        return redirect("referrals:inbox_detail", referral_id=referral.pk)
    return _inbox_page(request, referral.pk, status=400, service_form=form)


# -- the 1899 desk -----------------------------------------------------------------------------------------------------
@login_required
@require_safe
def hotline_calls(request: HttpRequest) -> HttpResponse:
    """The desk's calls, newest first, with what became of each: taken up, registered in the КБР, closed."""
    if not selectors.user_is_hotline_desk(user=request.user):
        raise Http404
    calls = selectors.hotline_calls_of(user=request.user)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/hotline_calls.html", {"page": page})
