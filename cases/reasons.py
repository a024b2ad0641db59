"""Change reasons typed by an officer (removing a record, closing or reopening a case), kept in the history.

The history's change reason holds a code for changes the system names itself ("created", "edited", "done") and
`<code>: <text>` for the ones an officer had to explain; the case page shows that text beside the change.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_no_hidden_characters

REMOVED = "removed"
CLOSED = "closed"
REOPENED = "reopened"
EXPLAINED = (REMOVED, CLOSED, REOPENED)
REASON_MAX_LENGTH = 500


def explained(code: str, reason: str) -> str:
    """The change reason recorded for a change the officer explained."""
    return f"{code}: {reason}"


def explanation_of(change_reason: str | None) -> tuple[str, str] | None:
    """(code, the officer's text) of a change reason recorded by `explained`, else None."""
    code, separator, text = (change_reason or "").partition(": ")
    if separator and code in EXPLAINED:
        return code, text
    return None


def required_reason(reason: str) -> str:
    """The reason as kept; ValidationError on the field `reason` when empty, too long or with hidden characters."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: it is kept in the case history.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("The reason is too long: at most {count} characters.").format(count=REASON_MAX_LENGTH)}
        )
    try:
        validate_no_hidden_characters(reason)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}) from exc
    return reason
