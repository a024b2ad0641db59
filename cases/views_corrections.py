"""Correcting a case's records: suspects, sites and legal representatives edited or removed with a reason, files
removed (kept for the audit), the case closed and reopened with a reason. Thin views over selectors and services."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.readers import reader_from

from . import selectors, services
from .forms import ExploitationSiteForm, LegalRepresentativeForm, ReasonForm, SuspectForm, add_service_errors
from .models import Case


# ---------------------------------------------------------------------------
# Shared: a versioned edit form, and a removal form asking for the reason
# ---------------------------------------------------------------------------
def _edit(
    request: HttpRequest,
    *,
    form: BaseForm,
    save: Callable[[dict, int], object],
    case: Case,
    title: str,
    success: str,
    back_url: str,
    remove_url: str,
) -> HttpResponse:
    """Show the form; save a valid one through `save(data, version)`: 409 when someone saved the record meanwhile."""
    context = {"form": form, "case": case, "title": title, "back_url": back_url, "remove_url": remove_url}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                save(data, form.cleaned_data["version"])
            except services.StaleEditError as exc:
                context["stale_changes"] = exc.changes
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect(back_url)
    return render(request, "cases/record_form.html", context, status=status)


def _remove(
    request: HttpRequest,
    *,
    remove: Callable[[str, int | None], object],
    case: Case,
    title: str,
    subject: str,
    explanation: str,
    success: str,
    back_url: str,
    version: int | None = None,
) -> HttpResponse:
    """Ask why; remove through `remove(reason, version)`: 409 when someone saved the record since the page opened."""
    form = ReasonForm(
        request.POST or None,
        initial={"version": version},
        versioned=version is not None,
        label=_("Why is it removed?"),
    )
    context = {
        "form": form,
        "case": case,
        "title": title,
        "subject": subject,
        "explanation": explanation,
        "back_url": back_url,
        "submit": _("Remove"),
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                remove(form.cleaned_data["reason"], form.cleaned_data.get("version"))
            except services.StaleEditError as exc:
                context["stale_changes"] = exc.changes
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect(back_url)
    return render(request, "cases/reason_form.html", context, status=status)


def _record_explanation() -> str:
    return _("It leaves the case. The case history keeps it, with your name, the time and the reason.")


# ---------------------------------------------------------------------------
# Suspects
# ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def suspect_edit(request: HttpRequest, suspect_id) -> HttpResponse:
    suspect = selectors.suspect_get_for_change(user=request.user, suspect_id=suspect_id)
    return _edit(
        request,
        form=SuspectForm(request.POST or None, instance=suspect),
        save=lambda data, version: services.suspect_update(
            suspect=suspect, actor=request.user, data=data, version=version
        ),
        case=suspect.case,
        title=_("Correct the suspect"),
        success=_("The suspect was corrected."),
        back_url=suspect.case.get_absolute_url(),
        remove_url=reverse("cases:suspect_remove", args=[suspect.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def suspect_remove(request: HttpRequest, suspect_id) -> HttpResponse:
    suspect = selectors.suspect_get_for_change(user=request.user, suspect_id=suspect_id)
    return _remove(
        request,
        remove=lambda reason, version: services.suspect_remove(
            suspect=suspect, actor=request.user, reason=reason, version=version
        ),
        case=suspect.case,
        title=_("Remove the suspect"),
        subject=str(suspect),
        explanation=_record_explanation(),
        success=_("The suspect was removed from the case."),
        back_url=suspect.case.get_absolute_url(),
        version=suspect.version,
    )


# ---------------------------------------------------------------------------
# Exploitation sites
# ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, site_id) -> HttpResponse:
    site = selectors.exploitation_site_get_for_change(user=request.user, site_id=site_id)
    return _edit(
        request,
        form=ExploitationSiteForm(request.POST or None, instance=site),
        save=lambda data, version: services.exploitation_site_update(
            site=site, actor=request.user, data=data, version=version
        ),
        case=site.case,
        title=_("Correct the exploitation site"),
        success=_("The exploitation site was corrected."),
        back_url=site.case.get_absolute_url(),
        remove_url=reverse("cases:site_remove", args=[site.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_remove(request: HttpRequest, site_id) -> HttpResponse:
    site = selectors.exploitation_site_get_for_change(user=request.user, site_id=site_id)
    return _remove(
        request,
        remove=lambda reason, version: services.exploitation_site_remove(
            site=site, actor=request.user, reason=reason, version=version
        ),
        case=site.case,
        title=_("Remove the exploitation site"),
        subject=site.location,
        explanation=_record_explanation(),
        success=_("The exploitation site was removed from the case."),
        back_url=site.case.get_absolute_url(),
        version=site.version,
    )


# ---------------------------------------------------------------------------
# Legal representatives (personal data: every opening is logged)
# ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def representative_edit(request: HttpRequest, representative_id) -> HttpResponse:
    representative = selectors.legal_representative_get_for_reader(
        reader=reader_from(request), representative_id=representative_id
    )
    victim = representative.victim
    return _edit(
        request,
        form=LegalRepresentativeForm(request.POST or None, instance=representative),
        save=lambda data, version: services.legal_representative_update(
            representative=representative, actor=request.user, data=data, version=version
        ),
        case=victim.case,
        title=_("Correct the legal representative"),
        success=_("The legal representative was corrected."),
        back_url=reverse("cases:victim_detail", args=[victim.pk]),
        remove_url=reverse("cases:representative_remove", args=[representative.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def representative_remove(request: HttpRequest, representative_id) -> HttpResponse:
    representative = selectors.legal_representative_get_for_reader(
        reader=reader_from(request), representative_id=representative_id
    )
    victim = representative.victim
    return _remove(
        request,
        remove=lambda reason, version: services.legal_representative_remove(
            representative=representative, actor=request.user, reason=reason, version=version
        ),
        case=victim.case,
        title=_("Remove the legal representative"),
        subject=representative.full_name,
        explanation=_record_explanation(),
        success=_("The legal representative was removed."),
        back_url=reverse("cases:victim_detail", args=[victim.pk]),
        version=representative.version,
    )


# ---------------------------------------------------------------------------
# Attachments: the row and the file stay for the audit
# ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def attachment_remove(request: HttpRequest, attachment_id) -> HttpResponse:
    attachment = selectors.attachment_get_for_removal(user=request.user, attachment_id=attachment_id)
    return _remove(
        request,
        remove=lambda reason, _version: services.attachment_remove(
            attachment=attachment, actor=request.user, reason=reason
        ),
        case=attachment.case,
        title=_("Remove the file"),
        subject=attachment.original_name,
        explanation=_(
            "The file leaves the case page and can no longer be downloaded from it. It is kept, unchanged, for the "
            "audit; the case history keeps your name, the time and the reason."
        ),
        success=_("The file was removed from the case."),
        back_url=attachment.case.get_absolute_url(),
    )


# ---------------------------------------------------------------------------
# Closing and reopening a case
# ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, case_id) -> HttpResponse:
    case = selectors.refuse_closed_case(selectors.case_get_for_status_change(user=request.user, case_id=case_id))
    return _change_status(
        request,
        case,
        change=services.case_close,
        title=_("Close case {number}").format(number=case.number),
        label=_("Why is the case closed?"),
        explanation=_(
            "A closed case cannot be changed: no edits, people, records, files, screenings, steps or due items "
            "until it is reopened. Due items still open stay open."
        ),
        submit=_("Close the case"),
        success=_("Case {number} was closed.").format(number=case.number),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, case_id) -> HttpResponse:
    case = selectors.case_get_for_status_change(user=request.user, case_id=case_id)
    return _change_status(
        request,
        case,
        change=services.case_reopen,
        title=_("Reopen case {number}").format(number=case.number),
        label=_("Why is the case reopened?"),
        explanation=_("The case returns to the status it had before it was closed, and can be changed again."),
        submit=_("Reopen the case"),
        success=_("Case {number} was reopened.").format(number=case.number),
    )


def _change_status(
    request: HttpRequest, case: Case, *, change, title: str, label: str, explanation: str, submit: str, success: str
) -> HttpResponse:
    form = ReasonForm(request.POST or None, label=label)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                change(case=case, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect(case.get_absolute_url())
    context = {
        "form": form,
        "case": case,
        "title": title,
        "explanation": explanation,
        "back_url": case.get_absolute_url(),
        "submit": submit,
    }
    return render(request, "cases/reason_form.html", context, status=status)
