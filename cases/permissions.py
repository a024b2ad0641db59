"""Object permissions on cases, defined once."""

VIEW_CASE = "view_case"
CHANGE_CASE = "change_case"
