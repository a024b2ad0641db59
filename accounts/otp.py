"""Two-factor sign-in (TOTP, django-otp): who must give a code, the code step's rules, and how a session that has not
passed it is held back from the pages and the API.

Every user who signs in through the browser gives, after the password, the 6-digit code of an authenticator app
(settings.OTP_REQUIRED): police of every role, administrators, and NGO staff too, who read the referrals addressed to
their organisation with the victim's name and contacts where consent allows. API keys (organisations' systems) are not
sessions and are not asked for a code.

A code counts once: django-otp's TOTPDevice refuses a code of the same or an earlier time step than the last one it
accepted. Wrong codes are counted per user (accounts.throttle failures in a row): after OTP_FAILURE_LIMIT of them every
code is refused unchecked until the window has passed or an administrator resets the device.
"""

import logging
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication

from .models import User
from .sessions import sessions_delete_for_user
from .throttle import failure_record, failures_clear, failures_reached

logger = logging.getLogger(__name__)

FAILURE_SCOPE = "otp"
DEVICE_NAME = "authenticator"
# Pages an unverified session may reach by their URL name: the sign-in and sign-out, the code steps, the language.
OPEN_URL_NAMES = ("login", "logout", "otp_verify", "otp_enrol", "set_language")


# ---------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------
def otp_required_for(user) -> bool:
    """Whether this signed-in browser user must pass the code step: everyone, while OTP_REQUIRED is on."""
    return bool(settings.OTP_REQUIRED and user is not None and user.is_authenticated)


def session_is_verified(user) -> bool:
    """Whether the session of `user` (request.user after django-otp's middleware) has passed the code step."""
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def otp_pending(user) -> bool:
    """Whether the session is signed in with the password but still owes the code."""
    return otp_required_for(user) and not session_is_verified(user)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def failures_exhausted(user: User) -> bool:
    """Whether the user has given OTP_FAILURE_LIMIT wrong codes in a row within the window: the next is refused."""
    return failures_reached(scope=FAILURE_SCOPE, ident=str(user.pk), limit=settings.OTP_FAILURE_LIMIT)


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------
def enrolment_device(user: User) -> TOTPDevice:
    """The user's device being enrolled: the unconfirmed one already made (the same secret on a reload), or a new one
    with a fresh random 160-bit secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def failure_note(user: User) -> None:
    failure_record(scope=FAILURE_SCOPE, ident=str(user.pk), window_seconds=settings.OTP_FAILURE_WINDOW_SECONDS)
    logger.info("otp: wrong code for user %s", user.pk)


def code_check(*, request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Check the code against the device (a code of the same or an earlier step than the last accepted is refused);
    on success confirm the device if it was being enrolled, mark the session verified and give it a new key.

    The caller has checked `failures_exhausted` first; a wrong code is counted here.
    """
    user = request.user
    with transaction.atomic():
        accepted = verify_token(user, device.persistent_id, code)
        if accepted is not None and not accepted.confirmed:
            accepted.confirmed = True
            accepted.save(update_fields=["confirmed"])
    if accepted is None:
        failure_note(user)
        return False
    failures_clear(scope=FAILURE_SCOPE, ident=str(user.pk))
    otp_login(request, accepted)
    # A new session key once the second factor is given: a key seen before this step is worth nothing after it.
    request.session.cycle_key()
    logger.info("otp: user %s verified", user.pk)
    return True


def otp_reset(*, user: User) -> int:
    """Delete every OTP device of the user and end their sessions; forget their wrong codes. They enrol a new
    authenticator at their next sign-in. Return how many devices were deleted."""
    with transaction.atomic():
        deleted, _rows = TOTPDevice.objects.filter(user=user).delete()  # post_delete ends the sessions
        sessions_delete_for_user(user_id=user.pk)
    failures_clear(scope=FAILURE_SCOPE, ident=str(user.pk))
    logger.info("otp: devices of user %s reset (%d)", user.pk, deleted)
    return deleted


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="accounts.otp.device_deleted")
def _device_deleted(sender, instance: TOTPDevice, **kwargs) -> None:
    """A device deleted anywhere (the admin's device list too) ends its user's sessions: those verified with it."""
    sessions_delete_for_user(user_id=instance.user_id)


# ---------------------------------------------------------------------------
# Holding back an unverified session
# ---------------------------------------------------------------------------
def _open_paths() -> tuple[str, ...]:
    return tuple(reverse(name) for name in OPEN_URL_NAMES)


class OtpRequiredMiddleware:
    """While OTP_REQUIRED, a session signed in with the password only is sent to the code step from every page (with
    `next` kept); only the sign-in and sign-out, the code steps, the language switch and the static files stay open.
    The API is left to DRF (VerifiedSessionAuthentication), which answers JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if otp_pending(getattr(request, "user", None)) and not self._open(request.path_info):
            target = reverse("otp_verify")
            if request.method in ("GET", "HEAD"):
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith(("/api/", settings.STATIC_URL)):
            return True
        return path in _open_paths()


class OtpRequired(exceptions.PermissionDenied):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _(
        "Two-factor sign-in is not complete: enter the code from your authenticator app in the browser first."
    )
    default_code = "otp_required"


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication (with its CSRF check), refusing with 403 `otp_required` a session that has not
    passed the code step while OTP_REQUIRED is on."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and otp_pending(request._request.user):
            raise OtpRequired()
        return result
