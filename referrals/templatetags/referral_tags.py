"""Template helpers of the referral pages, and the referral panels other apps' pages show: the case page's referrals
and the person page's consent (the cases app reads referral data only through these)."""

from uuid import UUID

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cases.selectors import user_can_change_case, user_can_see_personal_data, user_does_case_work
from screening.labels import OBLIGATION_LABELS, due_in_words

from .. import selectors
from ..forms import ConsentForm, ConsentWithdrawForm, ReasonForm
from ..labels import CATEGORY_SHORT_LABELS, local_datetime_text, service_labels, shared_text
from ..models import Consent, Referral, RightsSheet
from ..services import TRANSITIONS

register = template.Library()


@register.filter
def services_text(codes) -> str:
    return ", ".join(service_labels(codes or [])) or "—"


@register.simple_tag
def referral_status_badge(referral) -> str:
    """The state of a referral as a word in a chip (never colour alone)."""
    return format_html('<span class="badge status-{}">{}</span>', referral.status, referral.get_status_display())


@register.simple_tag
def referral_due(referral) -> str:
    """When the recipient's answer is due, in words; marked overdue with a word, not only a colour."""
    now = timezone.now()
    overdue = referral.due_at <= now
    return format_html(
        '<time datetime="{}" class="due-in{}">{}</time>',
        referral.due_at.isoformat(),
        " overdue" if overdue else "",
        due_in_words(referral.due_at, now=now),
    )


@register.filter
def iso_date(value: str) -> str:
    """An ISO date or time of a payload as the pages write them."""
    return local_datetime_text(value) if value else ""


@register.filter
def service_text(code: str) -> str:
    return service_labels([code])[0]


@register.simple_tag
def category_label(code: str) -> str:
    from ..models import Category

    return str(dict(Category.choices).get(code, code))


@register.filter
def category_word(code: str) -> str:
    return str(CATEGORY_SHORT_LABELS.get(code, code))


def _can_work(context, case) -> bool:
    can_work = context.get("can_work")
    if can_work is None:
        user = context["request"].user
        can_work = user_can_change_case(user=user, case=case) and user_does_case_work(user=user)
    return bool(can_work)


@register.inclusion_tag("referrals/_case_panel.html", takes_context=True)
def case_referrals_panel(context, case) -> dict:
    """The case's referrals with what each recipient receives, and the buttons their states allow (for those who work
    the case). A reason refused on this page (`refused_referral`, `form`) is shown beside its referral."""
    request = context["request"]
    user = request.user
    can_work = _can_work(context, case)
    personal = user_can_see_personal_data(user=user)
    refused_id = context.get("refused_referral")
    now = timezone.now()
    referrals = selectors.referrals_of_case(case=case)
    for referral in referrals:
        referral.can_send = referral.status in TRANSITIONS["send"][0]
        referral.can_withdraw = referral.status in TRANSITIONS["withdraw"][0]
        referral.can_reopen = referral.status in (Referral.Status.WITHDRAWN, Referral.Status.CLOSED)
        referral.shared_text = shared_text(referral.shared)
        referral.rule_label = OBLIGATION_LABELS.get(referral.rule, "") if referral.rule else ""
        referral.is_overdue = (
            referral.status in selectors.OVERDUE_STATES and referral.due_at is not None and referral.due_at < now
        )
        refused = context.get("form") if refused_id == referral.pk else None
        referral.reason_form = refused or ReasonForm(auto_id=f"referral-{referral.pk}-%s")
        referral.refused = refused is not None
    return {
        "case": case,
        "referrals": referrals,
        "can_work": can_work,
        "personal": personal,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("referrals/_consent_panel.html", takes_context=True)
def person_consent_panel(context, victim) -> dict:
    """The person's consents per recipient, the form to record decisions for one recipient and the withdrawn ones.

    Shown only to users who see personal data (the page's selector logged the read). `?consent_for=<recipient id>`
    opens the form for that recipient with the standing decisions filled in.
    """
    request = context["request"]
    user = request.user
    if not user_can_see_personal_data(user=user):
        return {"shown": False}
    # The page has read the representatives of a child already (its queryset is evaluated above this panel).
    shown = context.get("representatives")
    representatives = list(shown) if victim.is_child and shown is not None else None
    overview = selectors.consent_overview_for(user=user, victim=victim, representatives=representatives)
    can_work = _can_work(context, victim.case)
    directory = selectors.consent_directory()
    form = context.get("consent_form")
    if form is None and can_work:
        form = ConsentForm(
            victim=victim,
            directory=directory,
            representatives=overview["representatives"],
            initial=_initial_decisions(request, overview),
        )
    refused_id = context.get("refused_consent")
    for entry in overview["standing"]:
        for consent in entry["consents"]:
            refused = context.get("form") if refused_id == consent.pk else None
            consent.withdraw_form = refused or ConsentWithdrawForm(auto_id=f"consent-{consent.pk}-%s")
            consent.refused = refused is not None
    return {
        "shown": True,
        "victim": victim,
        "overview": overview,
        "form": form,
        "can_work": can_work,
        "may_act": any(r.may_act for r in overview["representatives"]),
        # Open at first, when refused, or when asked for one recipient; folded under the decisions otherwise.
        "form_open": not overview["standing"] or (form is not None and (form.is_bound or "recipient" in form.initial)),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


def _initial_decisions(request, overview) -> dict:
    """The standing decisions for the recipient named by `?consent_for=`, to change them."""
    try:
        recipient_id = UUID(request.GET.get("consent_for", ""))
    except (TypeError, ValueError):
        return {}
    entry = next((e for e in overview["standing"] if e["recipient"].pk == recipient_id), None)
    initial = {"recipient": recipient_id}
    if entry is not None:
        for category, consent in entry["by_category"].items():
            initial[f"category_{category}"] = consent.decision
        latest = max(entry["consents"], key=lambda c: c.decided_at)
        initial.update(given_by=latest.given_by, informed_how=latest.informed_how)
        if latest.representative_id:
            initial["representative"] = latest.representative_id
    return initial


@register.filter
def given_by_text(consent: Consent) -> str:
    """Who decided: the person, the legal representative by name, or the child-protection body."""
    if consent.given_by == Consent.GivenBy.LEGAL_REPRESENTATIVE and consent.representative_id:
        return f"{consent.get_given_by_display()}: {consent.representative.full_name}"
    return str(consent.get_given_by_display())


@register.filter
def categories_text(codes) -> str:
    from ..models import Category

    labels = dict(Category.choices)
    return "; ".join(str(labels.get(code, code)) for code in codes or []) or "—"


@register.filter
def recipient_is_active(recipient) -> bool:
    """Active in the directory, and (an organisation) active as an organisation."""
    return recipient.active and (recipient.organisation_id is None or recipient.organisation.active)


# -- the case page: the 1899 call it came from, and the rights and contacts sheet --------------------------------------
HAND_RIGHTS_SHEET = "hand_rights_sheet"


def _handed_over(case):
    return case.steps.filter(code=HAND_RIGHTS_SHEET).select_related("done_by").first()


def rights_sheet_item_context(*, user, sheet, handed=None, can_work=None) -> dict:
    """What one sheet's line shows: ready (download, and "handed over" while the step is not recorded), being made
    (the line polls itself), or failed."""
    from cases.selectors import user_can_change_case, user_does_case_work

    case = sheet.case
    if can_work is None:
        can_work = user_does_case_work(user=user) and user_can_change_case(user=user, case=case)
    if handed is None:
        handed = _handed_over(case)
    language = dict(sheet.Language.choices)[sheet.language]
    made = timezone.localtime(sheet.rendered_at or sheet.created_at)
    note = _("Sheet in {language}, made {when}").format(language=language, when=made.strftime("%d.%m.%Y %H:%M"))
    return {"sheet": sheet, "case": case, "can_work": can_work, "handed": handed, "language": language, "note": note}


@register.inclusion_tag("referrals/_case_panels.html", takes_context=True)
def case_call_and_rights_sheet(context, case) -> dict:
    """The 1899 call a case came from (the caller's contacts only with the caller's consent; the read is logged) and
    the rights and contacts sheet, for the people who work the case."""
    from accounts.readers import reader_from
    from cases.selectors import user_can_see_personal_data

    from .. import selectors

    request = context["request"]
    user = request.user
    if not user_can_see_personal_data(user=user):
        return {"shown": False}
    can_work = bool(context.get("can_work"))
    steps = {item["code"]: item["step"] for item in context.get("steps") or []}
    handed = steps[HAND_RIGHTS_SHEET] if HAND_RIGHTS_SHEET in steps else _handed_over(case)
    sheets = [
        rights_sheet_item_context(user=user, sheet=sheet, handed=handed, can_work=can_work)
        for sheet in selectors.rights_sheets_of(user=user, case=case)
    ]
    return {
        "shown": True,
        "case": case,
        "call": selectors.hotline_call_callback_for(reader=reader_from(request), case=case),
        "sheets": sheets,
        "handed": handed,
        "can_work": can_work,
        "languages": RightsSheet.Language.choices,
        "csrf_token": context.get("csrf_token"),
    }
