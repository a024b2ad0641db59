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
    subject = _("Notification")
    return subject, link
