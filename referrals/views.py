"""Referral pages: thin views that parse, call a selector or a service, and render."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.readers import reader_from
from cases import selectors as case_selectors
from cases.forms import add_service_errors
from cases.models import PersonalDataAccess
from cases.views import case_page, victim_page
from screening.obligations import route_of

from . import selectors, services
from .forms import (
    ConsentForm,
    ConsentWithdrawForm,
    DirectoryFilterForm,
    HotlineCallForm,
    ReasonForm,
    ReferralFilterForm,
    ReferralForm,
    RightsSheetForm,
    ServiceUpdateForm,
)
from .labels import payload_sections
from .models import Recipient, Referral
from .templatetags.referral_tags import rights_sheet_item_context

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
def _refuse_unless_desk(request: HttpRequest) -> None:
    if not selectors.user_is_hotline_desk(user=request.user):
        raise Http404


@login_required
@require_safe
def hotline_calls(request: HttpRequest) -> HttpResponse:
    """The desk's calls, newest first, with what became of each: taken up, registered in the КБР, closed."""
    _refuse_unless_desk(request)
    calls = selectors.hotline_calls_with_progress(user=request.user)
    page = Paginator(calls, PAGE_SIZE).get_page(request.GET.get("page"))
    for call in page.object_list:
        items = call.case.take_up_items if call.case_id else []
        call.take_up = items[0] if items else None
    return render(request, "referrals/hotline_calls.html", {"page": page})


# -- the police side: the case page's referrals, a new referral, the list and the heads' dashboard ---------------------
def _case_page_refused(request: HttpRequest, referral: Referral, form) -> HttpResponse:
    """The case page again, the refused reason beside its referral and at the top, what was typed kept."""
    subject = _("Referral to {recipient}").format(recipient=referral.recipient.display_name)
    return case_page(
        request, referral.case, status=400, form=form, refused_referral=referral.pk, refused_subject=subject
    )


def _to_referrals(case) -> HttpResponse:
    return redirect(f"{case.get_absolute_url()}#referrals")


@login_required
@require_POST
def referral_send(request: HttpRequest, referral_id) -> HttpResponse:
    referral = selectors.referral_get_for_change(user=request.user, referral_id=referral_id)
    try:
        services.referral_send(referral=referral, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Referral sent to {recipient}.").format(recipient=referral.recipient.display_name))
    return _to_referrals(referral.case)


def _with_reason(request: HttpRequest, referral_id, *, change, done: str) -> HttpResponse:
    referral = selectors.referral_get_for_change(user=request.user, referral_id=referral_id)
    form = ReasonForm(request.POST, auto_id=f"referral-{referral.pk}-%s")
    if form.is_valid():
        try:
            change(referral=referral, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return _to_referrals(referral.case)
    return _case_page_refused(request, referral, form)


@login_required
@require_POST
def referral_withdraw(request: HttpRequest, referral_id) -> HttpResponse:
    return _with_reason(
        request, referral_id, change=services.referral_withdraw, done=_("Referral withdrawn: the recipient is told.")
    )


@login_required
@require_POST
def referral_reopen(request: HttpRequest, referral_id) -> HttpResponse:
    return _with_reason(request, referral_id, change=services.referral_reopen, done=_("Referral reopened."))


def _open_obligation(case, obligation_id: str):
    """The case's open due item a referral is made for (its route names a kind of recipient), or None."""
    try:
        obligation_id = UUID(obligation_id)
    except (TypeError, ValueError, AttributeError):
        return None
    obligation = case.obligations.filter(pk=obligation_id, status="open").first()
    if obligation is None or not route_of(obligation.code).refer_to:
        return None
    return obligation


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, case_id) -> HttpResponse:
    """Refer a person of the case to an organisation of the directory; then send it, or keep it as a draft.

    `?obligation=<id>` makes it the referral of an open due item (its services, its deadline, its kind of recipient
    suggested); `?everywhere=1` shows the whole directory instead of the case's region.
    """
    case = selectors.case_get_for_referral(user=request.user, case_id=case_id)
    obligation = _open_obligation(case, request.GET.get("obligation", ""))
    everywhere = request.GET.get("everywhere") == "1"
    directory = selectors.organisation_directory_for(case=case, everywhere=everywhere)
    victims = case_selectors.case_victims_for(
        reader=reader_from(request), case=case, purpose=PersonalDataAccess.Purpose.REFERRAL
    )
    refer_to = route_of(obligation.code).refer_to if obligation else ""
    suggested_kinds = services.KINDS_OF_ROUTE.get(refer_to, ())
    initial = {"services": services.SERVICES_OF_ROUTE.get(refer_to, [])}
    if len(victims) == 1:
        initial["victim"] = victims[0].pk
    if suggested := next((r for r in directory if r.kind in suggested_kinds), None):
        initial["recipient"] = suggested.pk
    form = ReferralForm(request.POST or None, case=case, directory=directory, victims=victims, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        send = "send" in request.POST
        try:
            with transaction.atomic():
                referral = services.referral_create(
                    case=case, recipient=data["recipient"], actor=request.user, victim=data["victim"],
                    services=data["services"], message=data["message"], health_needs=data["health_needs"],
                    due_at=obligation.due_at if obligation else None, rule=obligation.code if obligation else "",
                    obligation=obligation,
                )  # fmt: skip
                if send:
                    referral = services.referral_send(referral=referral, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            recipient = referral.recipient.display_name
            if send:
                messages.success(request, _("Referral sent to {recipient}.").format(recipient=recipient))
            else:
                messages.success(
                    request,
                    _("Referral to {recipient} kept as a draft: send it from here.").format(recipient=recipient),
                )
            return _to_referrals(case)
    context = {
        "case": case,
        "form": form,
        "obligation": obligation,
        "everywhere": everywhere,
        "suggested_kinds": suggested_kinds,
        "has_victims": bool(victims),
    }
    return render(request, "referrals/new.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals of the cases the user reads, newest change first; filters by status, recipient and overdue.

    No person is named here: the case number leads to the case, where the reader's rights decide what is shown.
    """
    referrals = selectors.referral_list_for_police(user=request.user)
    recipients = Recipient.objects.filter(pk__in=referrals.values("recipient_id")).select_related(
        "organisation", "unit"
    )
    form = ReferralFilterForm(request.GET or None, recipients=recipients)
    now = timezone.now()
    if form.is_bound and not form.is_valid():
        referrals = referrals.none()
    elif form.is_bound:
        data = form.cleaned_data
        if data["status"]:
            referrals = referrals.filter(status=data["status"])
        if data["recipient"]:
            referrals = referrals.filter(recipient=data["recipient"])
        if data["overdue"]:
            referrals = referrals.filter(selectors.overdue_condition(now=now))
    referrals = referrals.order_by("-updated_at")
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page.object_list:
        referral.is_overdue = referral.status in selectors.OVERDUE_STATES and referral.due_at and referral.due_at < now
    return render(
        request,
        "referrals/list.html",
        {"form": form, "page": page, "filtered": form.is_bound},
    )


@login_required
@require_safe
def referral_dashboard(request: HttpRequest) -> HttpResponse:
    """The heads' picture of referrals in their units: by state, by recipient, overdue; each count opens the list."""
    counts = selectors.referral_dashboard_counts(user=request.user, now=timezone.now())
    return render(request, "referrals/dashboard.html", {"counts": counts})


# -- consent on the person's page --------------------------------------------------------------------------------------
def _victim_for_consent(request: HttpRequest, victim_id):
    """A person of a case the user works and may change (their page is read again: the read is logged)."""
    if not case_selectors.user_does_case_work(user=request.user):
        raise Http404
    return case_selectors.victim_get_for_reader(reader=reader_from(request), victim_id=victim_id, for_change=True)


@login_required
@require_POST
def consent_record(request: HttpRequest, victim_id) -> HttpResponse:
    victim = _victim_for_consent(request, victim_id)
    representatives = list(victim.legal_representatives.all())
    form = ConsentForm(
        request.POST, victim=victim, directory=selectors.consent_directory(), representatives=representatives
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                victim=victim, recipient=data["recipient"], decisions=form.decisions(), given_by=data["given_by"],
                informed_how=data["informed_how"], representative=data.get("representative"), actor=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The decisions for {recipient} were recorded.").format(recipient=data["recipient"].display_name),
            )
            return redirect(f"{reverse('cases:victim_detail', args=[victim.pk])}#consent")
    return victim_page(request, victim, status=400, form=form, consent_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def hotline_call_new(request: HttpRequest) -> HttpResponse:
    """The intake form: the call becomes an incoming report of the chosen district's duty unit."""
    _refuse_unless_desk(request)
    form = HotlineCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.hotline_call_record(operator=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Call recorded: report {number} was passed to the duty unit of {district}.").format(
                    number=call.case.number, district=call.district.display_name
                ),
            )
            return redirect("referrals:hotline_calls")
    return render(request, "referrals/hotline_call_form.html", {"form": form})


@login_required
@require_safe
def hotline_call_detail(request: HttpRequest, call_id) -> HttpResponse:
    """What the operator recorded of one call (the caller's data: the read is logged) and what became of it."""
    _refuse_unless_desk(request)
    call = selectors.hotline_call_shown_to_desk(reader=reader_from(request), call_id=call_id)
    items = list(call.case.obligations.filter(code="take_up_report").select_related("unit")) if call.case_id else []
    return render(request, "referrals/hotline_call_detail.html", {"call": call, "take_up": items[0] if items else None})


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id) -> HttpResponse:
    consent = selectors.consent_get_for_change(user=request.user, consent_id=consent_id)
    victim = _victim_for_consent(request, consent.victim_id)
    form = ConsentWithdrawForm(request.POST, auto_id=f"consent-{consent.pk}-%s")
    if form.is_valid():
        try:
            services.consent_withdraw(consent=consent, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent was withdrawn: from now on that data is not shared."))
            return redirect(f"{reverse('cases:victim_detail', args=[victim.pk])}#consent")
    return victim_page(request, victim, status=400, form=form, refused_consent=consent.pk)


@login_required
@require_POST
def hotline_call_close(request: HttpRequest, call_id) -> HttpResponse:
    """The desk closes a call once it told the caller what became of the report."""
    _refuse_unless_desk(request)
    call = selectors.hotline_call_get(user=request.user, call_id=call_id)
    services.hotline_call_close(call=call, actor=request.user)
    messages.success(request, _("The call was closed."))
    return redirect("referrals:hotline_calls")


# -- the recipients directory ------------------------------------------------------------------------------------------
@login_required
@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """The directory for the police and the 1899 desk: organisations and units that receive referrals, with contacts."""
    if not selectors.user_may_read_directory(user=request.user):
        raise Http404
    form = DirectoryFilterForm(request.GET or None)
    region, kind, inactive = None, "", False
    if form.is_bound and form.is_valid():
        region, kind, inactive = (form.cleaned_data[name] for name in ("region", "kind", "inactive"))
    recipients = selectors.recipient_directory(
        region_id=region.pk if region else None, kind=kind, include_inactive=inactive
    )
    page = Paginator(recipients, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(request, "referrals/directory.html", {"form": form, "page": page})


# -- the rights and contacts sheet -------------------------------------------------------------------------------------
@login_required
@require_POST
def rights_sheet_create(request: HttpRequest, case_id) -> HttpResponse:
    """Start the sheet in the language chosen; the case page shows it once the task has made it."""
    case = case_selectors.case_get_for_case_work(user=request.user, case_id=case_id)
    form = RightsSheetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the sheet: Kyrgyz or Russian."))
    else:
        try:
            services.rights_sheet_request(case=case, language=form.cleaned_data["language"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#rights-sheet")


@login_required
@require_safe
def rights_sheet_status(request: HttpRequest, sheet_id) -> HttpResponse:
    """Whether a sheet is ready: the case page polls this (htmx) until it is, then offers the download."""
    sheet = selectors.rights_sheet_get_for_user(user=request.user, sheet_id=sheet_id)
    item = rights_sheet_item_context(user=request.user, sheet=sheet)
    template = "referrals/_rights_sheet_item.html" if request.htmx else "referrals/rights_sheet_status.html"
    return render(request, template, {"item": item})


@login_required
@require_safe
def rights_sheet_download(request: HttpRequest, sheet_id) -> FileResponse:
    sheet = selectors.rights_sheet_get_for_download(reader=reader_from(request), sheet_id=sheet_id)
    response = FileResponse(
        sheet.file.open("rb"),
        as_attachment=True,
        filename=f"{sheet.case.number}-{sheet.language}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Language"] = sheet.language
    return response
