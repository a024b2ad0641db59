"""The texts of the rapport's notices (registered with accounts.notifications in ReportsConfig.ready).

A notice names the case by its number only: the rapport holds personal data, the reader opens it through the link.
"""

from django.utils.translation import gettext as _

from accounts.notifications import param, register


def rapport_submitted(params: dict) -> tuple[str, str]:
    number = param(params, "case_number")
    return (
        _("Rapport of case {number} awaits your approval").format(number=number),
        _("The rapport of case {number} was submitted to you: approve it, or return it with the reason.").format(
            number=number
        ),
    )


def rapport_returned(params: dict) -> tuple[str, str]:
    number = param(params, "case_number")
    return (
        _("Rapport of case {number} was returned").format(number=number),
        _(
            "The head returned the rapport of case {number} to draft: read the reason, correct it and submit it again."
        ).format(number=number),
    )


def rapport_approved(params: dict) -> tuple[str, str]:
    number = param(params, "case_number")
    return (
        _("Rapport of case {number} was approved").format(number=number),
        _("The head approved the rapport of case {number}; it is to be registered in the КБР.").format(number=number),
    )


def rapport_registered(params: dict) -> tuple[str, str]:
    number = param(params, "case_number")
    return (
        _("Rapport of case {number} is registered in the КБР").format(number=number),
        _("The rapport of case {number} was registered in the КБР.").format(number=number),
    )


def register_all() -> None:
    register("rapport_submitted", rapport_submitted)
    register("rapport_returned", rapport_returned)
    register("rapport_approved", rapport_approved)
    register("rapport_registered", rapport_registered)
