"""The two-factor steps after the password: give the code of the enrolled authenticator app, or enrol one.

Both pages are open to a session signed in with the password only (accounts.otp.OtpRequiredMiddleware); a session
already verified, or any session while OTP_REQUIRED is off, is sent on to where it was going.
"""

import base64

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .otp import code_check, confirmed_device, enrolment_device, failure_note, failures_exhausted, otp_pending
from .otp_forms import CodeForm

TOO_MANY_STATUS = 429


def _next_url(request: HttpRequest) -> str:
    """Where to go after the step: `next` if it is a path of this site, else the role's first page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        isinstance(target, str)
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _code_step(request: HttpRequest, *, device, template: str, context: dict) -> HttpResponse:
    """Show the code form; on a POST check the code (unless too many were wrong) and go on, or say what was wrong.
    Every refused POST counts as a wrong code, a malformed one too."""
    if request.method != "POST":
        return render(request, template, {**context, "form": CodeForm()})
    form = CodeForm(request.POST)
    if failures_exhausted(request.user):
        minutes = max(1, settings.OTP_FAILURE_WINDOW_SECONDS // 60)
        refusal = ngettext(
            "Too many wrong codes. Wait %(minutes)d minute, or ask an administrator to reset your authenticator.",
            "Too many wrong codes. Wait %(minutes)d minutes, or ask an administrator to reset your authenticator.",
            minutes,
        ) % {"minutes": minutes}
        return render(request, template, {**context, "form": CodeForm(), "refusal": refusal}, status=TOO_MANY_STATUS)
    if not form.is_valid():
        failure_note(request.user)
    elif code_check(request=request, device=device, code=form.cleaned_data["code"]):
        return HttpResponseRedirect(context["next"])
    else:
        form.add_error("code", _("The code is wrong or was already used. Enter the code the app shows now."))
    return render(request, template, {**context, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The code step of a user with an enrolled authenticator; a user without one is sent to enrol."""
    next_url = _next_url(request)
    if not otp_pending(request.user):
        return HttpResponseRedirect(next_url)
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{resolve_url('otp_enrol')}?{request.GET.urlencode()}" if request.GET else "otp_enrol")
    context = {"next": next_url}
    template = "registration/otp_verify.html"
    return _code_step(request, device=device, template=template, context=context)


def _qr_svg(device) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here (no script, no outside service)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, light="#fff", dark="#000", svgclass="qr-code")
    return mark_safe(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # noqa: S308 - segno's own markup


def _secret_text(device) -> str:
    """The secret in base32, as authenticator apps take it typed in, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: show a new secret (QR code and text) and confirm it with a code from the app."""
    next_url = _next_url(request)
    if not otp_pending(request.user):
        return HttpResponseRedirect(next_url)
    if confirmed_device(request.user) is not None:
        return redirect(f"{resolve_url('otp_verify')}?{request.GET.urlencode()}" if request.GET else "otp_verify")
    device = enrolment_device(request.user)
    context = {"next": next_url, "qr_svg": _qr_svg(device), "secret": _secret_text(device)}
    template = "registration/otp_enrol.html"
    return _code_step(request, device=device, template=template, context=context)
