"""The roles of ARCHITECTURE §3, defined once; each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSPECTOR = "inspector", _("Inspector (juvenile inspector / district officer)")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    INVESTIGATOR = "investigator", _("Investigator")
    KIB_OFFICER = "kib_officer", _("Criminal investigation officer")
    SUPERVISOR = "supervisor", _("Head of department")
    INTL_COOPERATION = "intl_cooperation", _("International cooperation officer")
    HOTLINE_OPERATOR = "hotline_operator", _("1899 hotline operator")
    ANALYST = "analyst", _("Analyst (statistics only)")
    NGO_STAFF = "ngo_staff", _("NGO staff")


# Roles that work on cases of their unit; the others see only what is granted to them.
UNIT_CASE_ROLES = frozenset(
    {Role.DUTY_OFFICER, Role.INVESTIGATOR, Role.KIB_OFFICER, Role.INTL_COOPERATION, Role.SUPERVISOR}
)
# Roles that may create a case.
CASE_CREATOR_ROLES = frozenset(
    {Role.INSPECTOR, Role.DUTY_OFFICER, Role.INVESTIGATOR, Role.KIB_OFFICER, Role.SUPERVISOR, Role.HOTLINE_OPERATOR}
)
# Roles that never see victims' personal data.
NO_PERSONAL_DATA_ROLES = frozenset({Role.ANALYST, Role.NGO_STAFF})
# Roles of people who may be the officer responsible for a case.
CASE_OFFICER_ROLES = frozenset(
    {Role.INSPECTOR, Role.DUTY_OFFICER, Role.INVESTIGATOR, Role.KIB_OFFICER, Role.SUPERVISOR}
)
# Roles told how many possible duplicates lie in cases of other units (they can ask those units to check).
OTHER_UNIT_MATCH_COUNT_ROLES = frozenset({Role.DUTY_OFFICER, Role.SUPERVISOR, Role.KIB_OFFICER})
# Roles that audit the personal-data access log of their unit and the units below it (who read what, who probed which
# number in a duplicate check).
ACCESS_LOG_AUDIT_ROLES = frozenset({Role.SUPERVISOR})
# Roles that do the work on a case: screen it, record the officer's steps, mark its due items done, close and reopen
# it. The 1899 desk and International Cooperation open, read or correct cases but do not work them; analysts and NGO
# staff never change a case. Enforced by the selectors (cases.selectors.user_does_case_work), not only by the buttons.
CASE_WORK_ROLES = frozenset({Role.INSPECTOR, Role.DUTY_OFFICER, Role.INVESTIGATOR, Role.KIB_OFFICER, Role.SUPERVISOR})
