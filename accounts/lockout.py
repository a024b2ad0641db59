"""Login lockout (django-axes): what is kept of a failed login, and the page a locked-out user sees."""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Longest username an account can have (User.username): a longer one matches no account and is counted by its start.
USERNAME_MAX_LENGTH = 150


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username failures are counted by (AXES_USERNAME_CALLABLE): as typed, without NUL, cut to the longest a
    username can be. The login forms do not limit the length themselves, and axes' column holds 255 characters:
    a 10 KB username answered 500 on PostgreSQL."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "POST", {}).get("username")
    if not isinstance(username, str):
        return None
    return username.replace("\x00", "")[:USERNAME_MAX_LENGTH]


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, keeping of a failed login only the username, the address and the time.

    Axes also stores the browser's User-Agent and Accept headers: they identify a device and the lockout does not use
    them (it counts by username), so they are blanked before the attempt is recorded. The password, the `next` page and
    the CSRF token are masked by AXES_SENSITIVE_PARAMETERS.
    """

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            request.axes_user_agent = ""
            request.axes_http_accept = ""
        return super().user_login_failed(sender, credentials, request=request, **kwargs)


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429, in the user's language, with the cool-off in
    whole minutes; it does not repeat the username."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
