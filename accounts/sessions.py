"""Session lifetime: signed out after SESSION_IDLE_TIMEOUT without a request and SESSION_ABSOLUTE_TIMEOUT after
signing in; a user's sessions ended when they are deactivated."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from .models import User

LOGIN_AT = "_login_at"  # seconds since the epoch at sign-in
SEEN_AT = "_seen_at"  # seconds since the epoch of the last request
# The last-seen time is written back at most this often: not every request saves the session.
SEEN_AT_RESOLUTION_SECONDS = 30


def now() -> float:
    """The clock of session timeouts (a function, so tests can fix it)."""
    return time.time()


@receiver(user_logged_in, dispatch_uid="accounts.sessions.stamp_login")
def stamp_login(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """Stamp the new session (Django has already rotated its key) with the sign-in time."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[SEEN_AT] = int(now())


def session_expiry_message(session, *, at: float) -> str | None:
    """Why the session has expired at `at` (the message for the user), or None while it is valid."""
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT, login_at)
    if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
        return None  # a session from before these stamps: the middleware stamps it now
    if at - login_at >= settings.SESSION_ABSOLUTE_TIMEOUT:
        hours = max(1, round(settings.SESSION_ABSOLUTE_TIMEOUT / 3600))
        return ngettext(
            "You were signed out: a session lasts at most %(hours)d hour. Sign in again.",
            "You were signed out: a session lasts at most %(hours)d hours. Sign in again.",
            hours,
        ) % {"hours": hours}
    if at - seen_at >= settings.SESSION_IDLE_TIMEOUT:
        minutes = max(1, round(settings.SESSION_IDLE_TIMEOUT / 60))
        return ngettext(
            "You were signed out after %(minutes)d minute without activity.",
            "You were signed out after %(minutes)d minutes without activity.",
            minutes,
        ) % {"minutes": minutes}
    return None


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT, with a message on the
    login page; otherwise note the time of this request. The request then goes on as an anonymous one (a page
    redirects to the login with `next`, the API answers 401/403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            at = now()
            message = session_expiry_message(request.session, at=at)
            if message is not None:
                logout(request)
                messages.info(request, message)
            else:
                request.session.setdefault(LOGIN_AT, int(at))
                if at - request.session.get(SEEN_AT, 0) >= SEEN_AT_RESOLUTION_SECONDS:
                    request.session[SEEN_AT] = int(at)
        return self.get_response(request)


def sessions_delete_for_user(*, user_id: int) -> int:
    """Delete every stored session signed in as the user; return how many. Call inside the transaction of the change.

    Sessions live in the database (SESSION_ENGINE) and only their encoded data names the user, so every unexpired
    session is decoded; there are as many as users signed in at once, a few hundred at most.
    """
    ids = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if str(data.get(SESSION_KEY)) == str(user_id):
            ids.append(session.session_key)
    Session.objects.filter(session_key__in=ids).delete()
    return len(ids)
