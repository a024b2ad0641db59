"""The texts of the notices about due items (registered with accounts.notifications in ScreeningConfig.ready)."""

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.notifications import param, register

from .labels import OBLIGATION_LABELS

SUBJECT_LABEL_CHARS = 90


def _item(params: dict) -> tuple[str, str, str]:
    """The case number, the due item's label in full, and shortened for a subject line."""
    code = param(params, "code")
    label = str(OBLIGATION_LABELS.get(code, code))
    return param(params, "case_number"), label, Truncator(label).chars(SUBJECT_LABEL_CHARS)


def due_item(params: dict) -> tuple[str, str]:
    number, label, short = _item(params)
    return (
        _("Case {number}: {item}").format(number=number, item=short),
        _("A new item is due on case {number}: {item}.").format(number=number, item=label),
    )


def due_item_overdue(params: dict) -> tuple[str, str]:
    number, label, short = _item(params)
    return (
        _("Overdue on case {number}: {item}").format(number=number, item=short),
        _("An item of case {number} is past its deadline and not done: {item}.").format(number=number, item=label),
    )


def register_all() -> None:
    register("due_item", due_item)
    register("due_item_overdue", due_item_overdue)
