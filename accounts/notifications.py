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
    if kind == "report_taken_up":  # the 1899 desk: the duty unit took up a report passed in from a call
        subject = _("Report {number} was taken up by the duty unit").format(number=params.get("case_number", ""))
        body = _("The duty unit took up report {number} from your call. See the 1899 calls: {link}").format(
            number=params.get("case_number", ""), link=link
        )
        return subject, body
    if kind == "report_registered":  # the 1899 desk: the report of a call is registered; the call can be closed
        subject = _("Report {number} was registered in the КБР").format(number=params.get("case_number", ""))
        body = _("Report {number} from your call is registered in the КБР: tell the caller and close the call. {link}")
        return subject, body.format(number=params.get("case_number", ""), link=link)
    subject = _("Notification")
    return subject, link
