"""The texts of the referral notices (registered with accounts.notifications in ReferralsConfig.ready).

The recipient's people are told of a referral sent, withdrawn, reopened, or of a change of the person's consent; the
case officer of the recipient's answer and services. Only the case number and the recipient's name: the reason of a
decline or withdrawal may name the person, so it is read on the page, not in the notice.
"""

from django.utils.translation import gettext as _

from accounts.notifications import param, register


def _number_and_recipient(params: dict) -> dict:
    return {"number": param(params, "case_number") or "—", "recipient": param(params, "recipient") or "—"}


# -- to the recipient's people -----------------------------------------------------------------------------------------
def referral_received(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("New referral for {recipient}: case {number}").format(**values),
        _(
            "The police sent {recipient} a referral (case {number}). Open it to accept or decline it; you see only "
            "the data the person agreed to share."
        ).format(**values),
    )


def referral_withdrawn(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("Referral withdrawn: case {number}").format(**values),
        _("The police withdrew the referral of case {number} to {recipient}. The reason is on the referral.").format(
            **values
        ),
    )


def referral_reopened(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("Referral reopened: case {number}").format(**values),
        _("The police reopened the referral of case {number} to {recipient}: services go on.").format(**values),
    )


def consent_changed(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("Consent changed: case {number}").format(**values),
        _(
            "The person's consent to share data with {recipient} changed (case {number}). What you may see of the "
            "referral has changed: open it again."
        ).format(**values),
    )


# -- to the case officer -----------------------------------------------------------------------------------------------
def referral_accepted(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("Case {number}: {recipient} accepted the referral").format(**values),
        _("{recipient} accepted the referral of case {number} and takes the person on.").format(**values),
    )


def referral_declined(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("Case {number}: {recipient} declined the referral").format(**values),
        _(
            "{recipient} declined the referral of case {number}. Read the reason on the case page and refer the "
            "person elsewhere."
        ).format(**values),
    )


def referral_service(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("Case {number}: {recipient} recorded a service").format(**values),
        _("{recipient} recorded a service given under the referral of case {number}.").format(**values),
    )


def referral_closed(params: dict) -> tuple[str, str]:
    values = _number_and_recipient(params)
    return (
        _("Case {number}: {recipient} closed the referral").format(**values),
        _("{recipient} closed the referral of case {number}: its services are complete.").format(**values),
    )


KINDS = {
    "referral_received": referral_received,
    "referral_withdrawn": referral_withdrawn,
    "referral_reopened": referral_reopened,
    "consent_changed": consent_changed,
    "referral_accepted": referral_accepted,
    "referral_declined": referral_declined,
    "referral_service": referral_service,
    "referral_closed": referral_closed,
}


def register_all() -> None:
    for kind, renderer in KINDS.items():
        register(kind, renderer)
