"""A closed case refuses every change until it is reopened: the check shared by the selectors and the services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from .models import Case


class CaseIsClosed(PermissionDenied):
    """A change to a closed case: refused (403) with a message saying so, not a 404, since the user may see it."""

    def __init__(self, case: Case) -> None:
        super().__init__(
            gettext("Case {number} is closed: nothing in it can be changed until it is reopened.").format(
                number=case.number
            )
        )


def refuse_closed_case(case: Case) -> Case:
    """Raise CaseIsClosed for a closed case; return the case otherwise."""
    if case.status == Case.Status.CLOSED:
        raise CaseIsClosed(case)
    return case
