"""Cross-cutting HTTP behaviour."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class DefaultLanguageMiddleware:
    """Start in the project's language (Kyrgyz) until the user picks another; the browser's language is not used.

    Officers share computers set up in any language; the language switch (stored in a cookie) is the one choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.LANGUAGE_FROM_BROWSER:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PersonalDataNoStoreMiddleware:
    """Send `Cache-Control: no-store` on every page of a signed-in user and on every API answer.

    Pages behind the login may show a victim's personal data; no browser or proxy may keep a copy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class PermissionsPolicyMiddleware:
    """Send `Permissions-Policy` (settings.PERMISSIONS_POLICY): no page may use the camera, microphone, location,
    payment, USB and the like, nor let anything it embeds use them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class AdminMethodsMiddleware:
    """Django's admin serves its pages to any method (DELETE, PUT, TRACE answered with the page): it takes GET, HEAD
    and POST only here, like the project's own views (their decorators)."""

    allowed = ("GET", "HEAD", "POST")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.allowed and request.path_info.startswith(_admin_prefix()):
            return HttpResponseNotAllowed(self.allowed)
        return self.get_response(request)


@functools.cache
def _admin_prefix() -> str:
    return reverse("admin:index")
