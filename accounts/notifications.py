"""The kinds of notification and their texts, rendered in the reader's language (never stored as text)."""

from django.utils.translation import gettext as _


def render_notification(*, kind: str, params: dict, link: str = "") -> tuple[str, str]:
    """Return (subject, body) for a notification kind; the params hold only ids and numbers, no personal data."""
    if kind == "case_assigned":
        subject = _("Case {number} was assigned to you").format(number=params.get("case_number", ""))
        body = _("You are now the officer responsible for case {number}. Open it in the system: {link}").format(
            number=params.get("case_number", ""), link=link
        )
        return subject, body
    if kind in TRIAGE_NOTICES:
        return _triage_notice(kind, params, link)
    subject = _("Notification")
    return subject, link


# The triage of due items (referrals/triage.py): an item given to someone, an item overdue told to the head, a 1899
# report taken up told to the operator who recorded the call.
TRIAGE_NOTICES = ("due_item_assigned", "due_item_overdue", "report_taken_up")


def _triage_notice(kind: str, params: dict, link: str) -> tuple[str, str]:
    number = params.get("case_number", "")
    if kind == "due_item_assigned":
        subject = _("A due item of case {number} was given to you").format(number=number)
        body = _("It is in your due items: {link}").format(link=link)
    elif kind == "due_item_overdue":
        subject = _("A due item of case {number} is overdue").format(number=number)
        body = _("Nobody has done it in time. Open the case: {link}").format(link=link)
    else:
        subject = _("The report of case {number} was taken up").format(number=number)
        body = _("{unit} took up the report of your 1899 call. The calls of the desk: {link}").format(
            unit=params.get("unit", ""), link=link
        )
    return subject, body
