"""The screening wizard and the obligation checklist: thin views over the form, the engine and the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from accounts.readers import reader_from
from cases import selectors as case_selectors
from cases.forms import add_service_errors
from cases.models import PersonalDataAccess
from cases.views import case_page

from . import printable, selectors, services
from .forms import STEP_TITLES, ObligationDoneForm, ScreeningForm, with_identity_of_the_chosen_person
from .help_texts import CHILD_MEANS_NOTE, VULNERABILITY_CREATED_HELP, VULNERABILITY_FACTORS_HELP, VULNERABILITY_INTRO
from .indicators import VULNERABILITY_GROUPS
from .labels import OBLIGATION_LABELS
from .qualification import LABELS, QualificationInputError, qualify
from .summary import screening_entries


def _language() -> str:
    language = (get_language() or "ky")[:2]
    return language if language in ("ky", "ru", "en") else "en"


def _preview(form: ScreeningForm) -> dict | None:
    """Qualify what the form holds so far; None while the form has errors."""
    if not form.is_valid():
        return None
    try:
        return qualify(form.facts(), _language())
    except QualificationInputError:
        return None


def _wizard_context(form: ScreeningForm, case) -> dict:
    result = _preview(form) if form.is_bound else None
    multi = [name for name, field in form.fields.items() if getattr(field.widget, "allow_multiple_selected", False)]
    changed = form.changed()
    checks = {name: _checks(form, name) for name in multi}
    for group, spec in VULNERABILITY_GROUPS.items():  # one field, shown in the handbook's two groups
        checks[f"vulnerability_{group}"] = [
            option for option in checks["vulnerability"] if option["value"] in spec["items"]
        ]
    return {
        "steps": list(STEP_TITLES.items()),
        "latest": form.latest,
        "changed": changed,
        "changed_names": sorted(changed),
        "compared": set(form.compared_fields()),
        "changed_steps": form.changed_steps(changed),
        "changed_step_titles": [f"{step}. {STEP_TITLES[step]}" for step in form.changed_steps(changed)],
        "values": {name: [str(v) for v in (form.value(name) or [])] for name in multi},
        "checks": checks,
        "vulnerability_groups": VULNERABILITY_GROUPS,
        "vulnerability_help": {
            "intro": VULNERABILITY_INTRO,
            "created": VULNERABILITY_CREATED_HELP,
            "factors": VULNERABILITY_FACTORS_HELP,
        },
        "sexual_violence_step": form.sexual_violence_step(),
        "form": form,
        "case": case,
        "child": form.is_child_now(),
        "result": result,
        "labels": {code: texts[_language()] for code, texts in LABELS.items()},
        "child_means_note": CHILD_MEANS_NOTE,
        "means_ticked": "abuse_of_vulnerability" in (form.value("means") or []),
    }


def _checks(form: ScreeningForm, name: str) -> list[dict]:
    """The options of a multiple-choice field with their state and help text, for the template."""
    field = form.fields[name]
    ticked = {str(v) for v in (form.value(name) or [])}
    help_texts = getattr(field, "code_help", {})
    return [
        {"value": code, "label": label, "checked": str(code) in ticked, "help": help_texts.get(code, ""),
         "id": f"id_{name}_{code}"}
        for code, label in field.choices
    ]  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def screening_wizard(request: HttpRequest, case_id) -> HttpResponse:
    case = case_selectors.case_get_for_screening(
        reader=reader_from(request), case_id=case_id, action=PersonalDataAccess.Action.EDIT_FORM
    )
    form = ScreeningForm(
        request.POST or None,
        case=case,
        latest=selectors.screening_latest_for(case=case),
        chosen_person=request.GET.get("victim"),  # "Screen now" on a person's page
    )
    if request.method == "POST" and form.is_valid():
        flags = form.context_flags()
        try:
            screening = services.screening_record(case=case, actor=request.user, facts=form.facts(), **flags)
        except QualificationInputError:
            form.add_error(None, _("The facts could not be qualified. Check the dates and ages."))
        else:
            messages.success(request, _saved_message(screening))
            # The next job is on the case: its due items, the ones this screening created highlighted.
            return redirect(f"{case.get_absolute_url()}?screened={screening.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/wizard.html", _wizard_context(form, case), status=status)


def _saved_message(screening) -> str:
    added = screening.obligations.count()
    if not added:
        return _("The screening was saved. It added no new due item.")
    return ngettext(
        "The screening was saved. It added {count} due item, marked «new» below.",
        "The screening was saved. It added {count} due items, marked «new» below.",
        added,
    ).format(count=added)


@login_required
@require_POST
def screening_preview(request: HttpRequest, case_id) -> HttpResponse:
    """The live result panel (htmx), with the child-dependent parts of the form swapped out of band."""
    case = case_selectors.case_get_for_screening(
        reader=reader_from(request), case_id=case_id, action=PersonalDataAccess.Action.VIEW
    )
    # A person just chosen brings their age from their record: the identity fields are swapped in with it.
    person_changed = request.POST.get("victim", "") != request.POST.get("ui_person", "")
    data = with_identity_of_the_chosen_person(request.POST, case) if person_changed else request.POST
    form = ScreeningForm(data, case=case, latest=selectors.screening_latest_for(case=case), for_saving=False)
    context = _wizard_context(form, case)
    context["swap_identity"] = person_changed
    # Replace the child-dependent parts only when they change, so the focus stays where the officer is typing.
    context["swap_child"] = request.POST.get("ui_child") != ("1" if context["child"] else "0")
    context["swap_evidence"] = request.POST.get("ui_evidence") != ("1" if context["means_ticked"] else "0")
    context["swap_sexual_violence"] = request.POST.get("ui_sexual") != str(context["sexual_violence_step"])
    return render(request, "screening/_preview.html", context)


@login_required
@require_safe
def screening_detail(request: HttpRequest, screening_id) -> HttpResponse:
    screening = selectors.screening_get_for_user(user=request.user, screening_id=screening_id)
    shown = selectors.screening_shown_to(reader=reader_from(request), screening=screening, language=_language())
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "case": screening.case,
            "shown": shown,
            "entries": screening_entries(screening, _language()),
        },
    )


@login_required
@require_GET
@never_cache
def screening_result_pdf(request: HttpRequest, screening_id) -> HttpResponse:
    """The printable result as a one-page PDF in the reader's language, to the readers of the screening page.

    Rendered here, not by a task: one page takes WeasyPrint well under a second, and at most len(FITS) renders.
    """
    screening = selectors.screening_get_for_user(user=request.user, screening_id=screening_id)
    language = _language()
    with translation.override(language):
        shown = selectors.screening_shown_to(
            reader=reader_from(request), screening=screening, language=language,
            action=PersonalDataAccess.Action.DOWNLOAD,
        )  # fmt: skip
        printed = printable.result_pdf(shown, language=language)
    response = HttpResponse(printed.content, content_type="application/pdf")
    filename = f"screening-{screening.case.number}-{language}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Content-Language"] = language
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def obligation_complete(request: HttpRequest, obligation_id) -> HttpResponse:
    obligation = selectors.obligation_get_for_change(user=request.user, obligation_id=obligation_id)
    form = ObligationDoneForm(request.POST, auto_id=f"obligation-{obligation.pk}-%s")
    if form.is_valid():
        try:
            services.obligation_complete(obligation=obligation, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Marked as done."))
            return redirect(f"{obligation.case.get_absolute_url()}#obligations")
    # The case page again, with the error at the top and beside the item, what was typed kept.
    return case_page(
        request,
        obligation.case,
        status=400,
        form=form,
        refused_obligation=obligation.pk,
        refused_subject=OBLIGATION_LABELS.get(obligation.code, obligation.code),
    )


@login_required
@require_POST
def obligation_undo(request: HttpRequest, obligation_id) -> HttpResponse:
    obligation = selectors.obligation_get_for_change(user=request.user, obligation_id=obligation_id)
    try:
        services.obligation_undo(obligation=obligation, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Undone: the item is open again."))
    return redirect(f"{obligation.case.get_absolute_url()}#obligations")
