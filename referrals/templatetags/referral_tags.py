"""Template helpers of the referral pages."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from screening.labels import due_in_words

from ..labels import service_labels
from ..models import RightsSheet

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
def service_text(code: str) -> str:
    return service_labels([code])[0]


@register.filter
def categories_text(codes) -> str:
    from ..models import Category

    labels = dict(Category.choices)
    return "; ".join(str(labels.get(code, code)) for code in codes or []) or "—"


@register.filter
def recipient_is_active(recipient) -> bool:
    """Active in the directory, and (an organisation) active as an organisation."""
    return recipient.active and (recipient.organisation_id is None or recipient.organisation.active)


@register.simple_tag
def category_label(code: str) -> str:
    from ..models import Category

    return str(dict(Category.choices).get(code, code))


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
