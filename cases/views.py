"""Case pages: thin views that parse, call a selector or a service, and render."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.readers import reader_from
from accounts.roles import CASE_CREATOR_ROLES, NO_PERSONAL_DATA_ROLES, Role

from . import files, selectors, services
from .filters import CaseFilter
from .forms import (
    AccessLogSearchForm,
    AttachmentForm,
    CaseForm,
    ExploitationSiteForm,
    LegalRepresentativeForm,
    OfficerStepForm,
    SuspectForm,
    VictimForm,
    add_service_errors,
)
from .models import OfficerStep, PersonalDataAccess
from .undo import may_undo

PAGE_SIZE = 25

logger = logging.getLogger(__name__)


@login_required
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    visible = selectors.case_list_visible_to(user=request.user)
    units = selectors.unit_list_for_case_filter(user=request.user)
    case_filter = CaseFilter(request.GET or None, queryset=visible, user=request.user, units=units, now=now)
    cases = case_filter.qs if case_filter.is_bound else visible
    cases = selectors.case_list_with_due_items(cases, now=now)
    cases = cases.select_related("unit", "assigned_officer").prefetch_related("victims", "victims__case")
    page = Paginator(cases.order_by(*case_filter.ordering()), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "cases/_case_rows.html" if request.htmx and request.htmx.target == "case-rows" else "cases/list.html"
    return render(
        request,
        template,
        {
            "filter": case_filter,
            "page": page,
            "sort": case_filter.sort_key,
            "several_units": "unit" in case_filter.filters,  # the unit column only for who sees several units
            "can_create": request.user.has_role(*CASE_CREATOR_ROLES) and request.user.unit_id is not None,
            "works_on_cases": request.user.is_superuser or not request.user.has_role(*NO_PERSONAL_DATA_ROLES),
            "awaits_international_cases": request.user.has_role(Role.INTL_COOPERATION),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(*CASE_CREATOR_ROLES) or request.user.unit_id is None:
        raise Http404
    form = CaseForm(request.POST or None, unit=request.user.unit, opened_by=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if request.user.has_role(Role.HOTLINE_OPERATOR) and not data.get("source"):
            data["source"] = "hotline_1899"
        try:
            case = services.case_create(actor=request.user, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except DatabaseError as exc:  # the transaction rolled back: nothing was saved, the form keeps what was typed
            logger.warning("case create failed: database error %s", type(exc).__name__)
            form.add_error(
                None,
                _("The case could not be saved because of a database error. Nothing was saved: send the form again."),
            )
        else:
            messages.success(request, _("Case {number} was opened.").format(number=case.number))
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": None})


@login_required
@require_safe
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    return case_page(request, case)


def case_page(request: HttpRequest, case, *, status: int = 200, **extra) -> HttpResponse:
    """Render the case page (the caller has checked access). A form refused on it (a step's or a due item's note) is
    passed as `form`, with what it was for, so the page shows its errors at the top and beside the item."""
    can_change = selectors.user_can_change_case(user=request.user, case=case)
    victims, circumstances = selectors.case_page_personal_data(reader=reader_from(request), case=case)
    steps, steps_not_applicable = _steps_checklist(case, victims, user=request.user)
    for item in steps:
        item["refused_form"] = extra.get("form") if extra.get("refused_step") == item["code"] else None
    attachments = list(case.attachments.select_related("uploaded_by"))
    context = {
        "case": case,
        "victims": victims,
        "circumstances": circumstances,
        "suspects": case.suspects.all(),
        "sites": case.sites.all(),
        # A removed file is kept for the audit, not listed: the page says how many.
        "attachments": [attachment for attachment in attachments if attachment.removed_at is None],
        "removed_attachments": sum(attachment.removed_at is not None for attachment in attachments),
        "closing": selectors.case_closing_of(case=case),
        "can_reopen": selectors.user_can_reopen_case(user=request.user, case=case),
        "history": selectors.case_history(case=case),
        "can_change": can_change,
        "can_work": can_change and selectors.user_does_case_work(user=request.user),
        "can_see_personal_data": selectors.user_can_see_personal_data(user=request.user),
        "can_audit_log": selectors.user_can_audit_case_access_log(user=request.user, case=case),
        "attachment_form": AttachmentForm(),
        "steps": steps,
        "steps_not_applicable": steps_not_applicable,
        **extra,
    }
    return render(request, "cases/detail.html", context, status=status)


def _steps_checklist(case, victims, *, user) -> tuple[list[dict], list[str]]:
    """The officer's steps with what was recorded, and the codes of the steps left out because they do not apply.

    The adults' step (advising to keep documents) is left out of a case whose every person is a child, unless it was
    recorded anyway.
    """
    done = {step.code: step for step in case.steps.select_related("done_by")}
    only_children = bool(victims) and all(victim.is_child for victim in victims)
    items, not_applicable = [], []
    for code, label in OfficerStep.Code.choices:
        step = done.get(code)
        if code == OfficerStep.Code.ADVISE_DOCUMENTS and only_children and step is None:
            not_applicable.append(code)
            continue
        can_undo = step is not None and may_undo(done_at=step.done_at, done_by_id=step.done_by_id, user=user)
        items.append({"code": code, "label": label, "step": step, "can_undo": can_undo})
    return items, not_applicable


def _stale_context(exc: services.StaleEditError) -> dict:
    return {"stale_changes": exc.changes}


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id) -> HttpResponse:
    case = selectors.case_get_with_personal_data(
        reader=reader_from(request), case_id=case_id, action=PersonalDataAccess.Action.EDIT_FORM, for_change=True
    )
    form = CaseForm(request.POST or None, instance=case)
    context = {"form": form, "case": case}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}
        try:
            services.case_update(case=case, actor=request.user, data=data, version=form.cleaned_data["version"])
        except services.StaleEditError as exc:
            context.update(_stale_context(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("cases:detail", case_id=case.pk)
    status = 409 if "stale_changes" in context else 200
    return render(request, "cases/case_form.html", context, status=status)


# ---------------------------------------------------------------------------
# Victims
# ---------------------------------------------------------------------------
def _duplicates_for(request: HttpRequest, case, data: dict, exclude_id=None) -> selectors.DuplicateCandidates:
    """Run the duplicate check on what the form holds; raise DuplicateCheckRefused past the user's rate limit."""
    return selectors.victim_duplicate_check(
        reader=reader_from(request),
        case=case,
        names=(
            data.get("last_name", ""),
            data.get("first_name", ""),
        )
        if (data.get("last_name") or data.get("first_name"))
        else (data.get("last_name_latin", ""), data.get("first_name_latin", "")),
        date_of_birth=data.get("date_of_birth"),
        phone=data.get("phone", ""),
        document_number=data.get("id_document_number", ""),
        exclude_id=exclude_id,
    )


TOO_MANY_CHECKS = gettext_lazy(
    "Too many duplicate checks in a short time. Wait a few minutes, then save again: what you typed is kept."
)


@login_required
@require_http_methods(["GET", "POST"])
def victim_create(request: HttpRequest, case_id) -> HttpResponse:
    case = selectors.case_get_for_adding_people(user=request.user, case_id=case_id)
    form = VictimForm(request.POST or None, case=case)
    duplicates = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            duplicates = _duplicates_for(request, case, form.cleaned_data)
        except selectors.DuplicateCheckRefused:
            form.add_error(None, TOO_MANY_CHECKS)
            status = 429
        else:
            if (duplicates.visible or duplicates.hidden_count) and not form.cleaned_data.get("confirm_not_duplicate"):
                form.add_error(
                    "confirm_not_duplicate",
                    _("Possible matches were found. Check them, then confirm that this is a different person."),
                )
            else:
                data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_not_duplicate"}
                victim = services.victim_create(case=case, actor=request.user, data=data)
                messages.success(request, _("The person was added to the case."))
                return redirect("cases:victim_detail", victim_id=victim.pk)
    context = {"form": form, "case": case, "duplicates": duplicates}
    return render(request, "cases/victim_form.html", context, status=status)


@login_required
@require_POST
def victim_duplicates(request: HttpRequest, case_id) -> HttpResponse:
    """Live duplicate check while the new-victim form is filled in (htmx); 429 past the user's rate limit."""
    case = selectors.case_get_for_adding_people(user=request.user, case_id=case_id)
    form = VictimForm(request.POST, case=case)
    form.is_valid()  # partial input is fine: use what parsed
    try:
        duplicates = _duplicates_for(request, case, form.cleaned_data)
    except selectors.DuplicateCheckRefused:
        return render(request, "cases/_duplicates.html", {"rate_limited": True}, status=429)
    return render(request, "cases/_duplicates.html", {"duplicates": duplicates})


@login_required
@require_safe
def victim_detail(request: HttpRequest, victim_id) -> HttpResponse:
    victim = selectors.victim_get_for_reader(reader=reader_from(request), victim_id=victim_id)
    return victim_page(request, victim)


def victim_page(request: HttpRequest, victim, *, status: int = 200, **extra) -> HttpResponse:
    """Render a person's page (the caller has read the person through a selector that logs the read). A form refused
    on it (by a panel of another app: consent) is passed as `form`, so the page shows its errors at the top."""
    can_change = selectors.user_can_change_case(user=request.user, case=victim.case)
    context = {
        "victim": victim,
        "case": victim.case,
        "representatives": victim.legal_representatives.all(),
        "can_change": can_change,
        "can_work": can_change and selectors.user_does_case_work(user=request.user),
        "representative_form": LegalRepresentativeForm(),
        **extra,
    }
    return render(request, "cases/victim_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def victim_edit(request: HttpRequest, victim_id) -> HttpResponse:
    victim = selectors.victim_get_for_reader(
        reader=reader_from(request), victim_id=victim_id, action=PersonalDataAccess.Action.EDIT_FORM, for_change=True
    )
    form = VictimForm(request.POST or None, instance=victim, case=victim.case)
    context = {"form": form, "case": victim.case, "victim": victim}
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.victim_update(victim=victim, actor=request.user, data=data, version=form.cleaned_data["version"])
        except services.StaleEditError as exc:
            context.update(_stale_context(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The person's data was saved."))
            return redirect("cases:victim_detail", victim_id=victim.pk)
    status = 409 if "stale_changes" in context else 200
    return render(request, "cases/victim_form.html", context, status=status)


@login_required
@require_POST
def representative_add(request: HttpRequest, victim_id) -> HttpResponse:
    victim = selectors.victim_get_for_reader(reader=reader_from(request), victim_id=victim_id, for_change=True)
    form = LegalRepresentativeForm(request.POST)
    if form.is_valid():
        representative = services.legal_representative_add(victim=victim, actor=request.user, data=form.cleaned_data)
        if representative.is_suspect:
            messages.warning(
                request,
                _("The representative is a suspect: the child-protection body must act as the legal representative."),
            )
        else:
            messages.success(request, _("The legal representative was recorded."))
        return redirect("cases:victim_detail", victim_id=victim.pk)
    return render(
        request,
        "cases/victim_detail.html",
        {
            "victim": victim,
            "case": victim.case,
            "representatives": victim.legal_representatives.all(),
            "can_change": True,
            "representative_form": form,
        },
        status=400,
    )


# ---------------------------------------------------------------------------
# Suspects, sites, attachments
# ---------------------------------------------------------------------------
def _simple_add(request: HttpRequest, case_id, *, form_class, service, title: str, success: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service(case=case, actor=request.user, data=form.cleaned_data)
        messages.success(request, success)
        return redirect("cases:detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/record_form.html", {"form": form, "case": case, "title": title}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def suspect_add(request: HttpRequest, case_id) -> HttpResponse:
    return _simple_add(
        request,
        case_id,
        form_class=SuspectForm,
        service=services.suspect_add,
        title=_("Add a suspect"),
        success=_("The suspect was recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_add(request: HttpRequest, case_id) -> HttpResponse:
    return _simple_add(
        request,
        case_id,
        form_class=ExploitationSiteForm,
        service=services.exploitation_site_add,
        title=_("Add an exploitation site"),
        success=_("The exploitation site was recorded."),
    )


@csrf_exempt  # the CSRF check runs in _attachment_receive, after the size limit is installed (Django's docs)
@login_required
@require_POST
def attachment_upload(request: HttpRequest, case_id) -> HttpResponse:
    """Take a file for the case. The case is checked first (404 before any byte of the body is read); a body declared
    larger than the limit is refused unread; else the size-limit handler stops reading as soon as the file passes it."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    if files.declared_too_large(request.META, max_bytes):
        return _attachment_refused(request, case, files.too_large(max_bytes))
    limit = files.AttachmentSizeLimit(request, max_bytes=max_bytes)
    request.upload_handlers.insert(0, limit)
    return _attachment_receive(request, case=case, limit=limit)


@csrf_protect
def _attachment_receive(request: HttpRequest, *, case, limit: files.AttachmentSizeLimit) -> HttpResponse:
    form = AttachmentForm(request.POST, request.FILES)
    if limit.refused:
        return _attachment_refused(request, case, files.too_large(limit.max_bytes))
    try:
        for name in limit.names:
            files.check_name(name)
    except ValidationError as exc:
        return _attachment_refused(request, case, exc)
    if form.is_valid():
        try:
            services.attachment_add(
                case=case,
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                max_bytes=limit.max_bytes,
            )
        except ValidationError as exc:
            return _attachment_refused(request, case, exc)
        messages.success(request, _("The file was attached."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("cases:detail", case_id=case.pk)


def _attachment_refused(request: HttpRequest, case, exc: ValidationError) -> HttpResponse:
    for message in exc.message_dict.get("file", exc.messages):
        messages.error(request, message)
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_safe
def attachment_download(request: HttpRequest, attachment_id) -> FileResponse:
    """The file, to download only (never shown in the browser): a safe name (RFC 6266 filename* for Cyrillic), no
    content sniffing, no caching, and a sandbox should a browser show it all the same."""
    attachment = selectors.attachment_get_for_reader(reader=reader_from(request), attachment_id=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=files.safe_download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def step_record(request: HttpRequest, case_id) -> HttpResponse:
    case = selectors.case_get_for_case_work(user=request.user, case_id=case_id)
    code = request.POST.get("code", "")
    auto_id = f"step-{code}-%s" if code in OfficerStep.Code.values else "step-%s"
    form = OfficerStepForm(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            services.officer_step_record(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(f"{case.get_absolute_url()}#steps")
    # Shown again with the error at the top and beside the step, what was typed kept.
    return case_page(request, case, status=400, form=form, refused_step=code)


@login_required
@require_POST
def step_undo(request: HttpRequest, case_id, step_id) -> HttpResponse:
    case = selectors.case_get_for_case_work(user=request.user, case_id=case_id)
    step = get_object_or_404(case.steps, pk=step_id)
    try:
        services.officer_step_undo(step=step, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Undone: the step is no longer marked done."))
    return redirect(f"{case.get_absolute_url()}#steps")


# ---------------------------------------------------------------------------
# The access log, for heads of department
# ---------------------------------------------------------------------------
ACCESS_LOG_PAGE_SIZE = 50


@login_required
@require_safe
def access_log(request: HttpRequest) -> HttpResponse:
    """Who read personal data in the head's units, and who probed which phone, document number or name."""
    if not selectors.user_can_audit_access_log(user=request.user):
        raise Http404
    form = AccessLogSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        rows = selectors.access_log_search(user=request.user).none()
    elif form.is_bound:
        rows = selectors.access_log_search(user=request.user, **form.cleaned_data)
    else:
        rows = selectors.access_log_search(user=request.user)
    page = Paginator(rows, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/access_log.html",
        {"form": form, "page": page, "looked_up": form.is_bound and form.is_valid() and form.looks_something_up()},
    )


@login_required
@require_safe
def case_access_log(request: HttpRequest, case_id) -> HttpResponse:
    """Who read one case's personal data, when, why and from where, and who was refused it: for its heads."""
    case, rows = selectors.case_access_log_for(user=request.user, case_id=case_id)
    page = Paginator(rows, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/case_access_log.html", {"case": case, "page": page})
