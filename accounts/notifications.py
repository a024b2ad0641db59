"""The kinds of notification and their texts, rendered in the reader's language (never stored as text).

A notice keeps only its kind, its parameters (numbers, codes, the name of an organisation or unit: never a person's
data) and a link; its subject and body are written when it is shown or e-mailed. The kinds of this app are written
here; an app above this one registers the texts of its own kinds in its AppConfig.ready (`register`), so a text can
name a due item or a referral state without this app importing them.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

# kind → renderer(params) → (subject, body without the link)
Renderer = Callable[[dict], tuple[str, str]]
RENDERERS: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    """Name the texts of a notification kind (an app's AppConfig.ready calls it for the kinds it emits)."""
    RENDERERS[kind] = renderer


def param(params: dict, name: str) -> str:
    """One parameter as text; a notice stored before the parameter existed shows an empty place, never an error."""
    value = params.get(name, "") if isinstance(params, dict) else ""
    return "" if value is None else str(value)


def render_notification(*, kind: str, params: dict, link: str = "") -> tuple[str, str]:
    """Return (subject, body) for a notification kind; the params hold only ids and numbers, no personal data."""
    renderer = RENDERERS.get(kind)
    if renderer is None:
        return _("Notification"), link
    subject, body = renderer(params if isinstance(params, dict) else {})
    if link:
        body = _("{text}\n\nOpen it in the system: {link}").format(text=body, link=link)
    return str(subject), str(body)


def _case_assigned(params: dict) -> tuple[str, str]:
    number = param(params, "case_number")
    return (
        _("Case {number} was assigned to you").format(number=number),
        _("You are now the officer responsible for case {number}.").format(number=number),
    )


def _report_registered(params: dict) -> tuple[str, str]:
    number, registered = param(params, "case_number"), param(params, "kbr_registered_at")
    return (
        _("Report {number} is registered in the КБР").format(number=number),
        _("The report passed in as case {number} was registered in the КБР ({date}). The call can be closed.").format(
            number=number, date=registered or "—"
        ),
    )


def _report_taken_up(params: dict) -> tuple[str, str]:
    number, unit = param(params, "case_number"), param(params, "unit")
    return (
        _("Report {number} was taken up").format(number=number),
        _("The report passed in as case {number} was taken up by {unit}.").format(number=number, unit=unit or "—"),
    )


register("case_assigned", _case_assigned)
register("report_registered", _report_registered)
register("report_taken_up", _report_taken_up)


# The triage of due items (referrals/triage.py): an item given to someone, an item overdue told to the head.
def _due_item_assigned(params: dict) -> tuple[str, str]:
    number = param(params, "case_number")
    return (
        _("A due item of case {number} was given to you").format(number=number),
        _("Case {number}: the item is in your due items.").format(number=number),
    )


def _due_item_overdue(params: dict) -> tuple[str, str]:
    number = param(params, "case_number")
    return (
        _("A due item of case {number} is overdue").format(number=number),
        _("Nobody has done the due item of case {number} in time.").format(number=number),
    )


register("due_item_assigned", _due_item_assigned)
register("due_item_overdue", _due_item_overdue)
