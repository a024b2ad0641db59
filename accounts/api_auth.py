"""API-key authentication: `Authorization: Api-Key <key>`, hashed keys of one active organisation each, revocable.

The key and its organisation are put on `request.auth` (an ApiKeyAuth) for the views that follow; `request.user` stays
anonymous, as an organisation is not a person.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from .models import ApiKey, Organisation
from .throttle import failure_record, failures_clear, failures_reached

FAILURE_SCOPE = "api-key"


@dataclass(frozen=True)
class ApiKeyAuth:
    """What an API request was authenticated with: the key and the organisation it belongs to."""

    key: ApiKey
    organisation: Organisation


class OrganisationApiKeyAuthentication(BaseAuthentication):
    """Authenticate `Authorization: Api-Key <key>`: hashed, not revoked, not expired, of an active organisation.

    Without that header the request is left to the next authentication class (the session); a key that is given but
    not usable answers 401 with `WWW-Authenticate: Api-Key`. After API_KEY_FAILURE_LIMIT such failures in a row from
    one client address, every key from that address (a right one too) answers 429 until API_KEY_FAILURE_WINDOW_SECONDS
    after the first of them: keys cannot be guessed from one address, and other addresses go on working.
    """

    key_parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiKeyAuth] | None:
        raw_key = self.key_parser.get(request)
        if raw_key is None:
            return None
        address = _client_address(request)
        if failures_reached(scope=FAILURE_SCOPE, ident=address, limit=settings.API_KEY_FAILURE_LIMIT):
            raise exceptions.Throttled(
                wait=_window_rest(address),
                detail=str(_("Too many wrong API keys from this address. Try again later.")),
            )
        api_key = api_key_usable(raw_key.strip())
        if api_key is None:
            failure_record(scope=FAILURE_SCOPE, ident=address, window_seconds=settings.API_KEY_FAILURE_WINDOW_SECONDS)
            raise exceptions.AuthenticationFailed(_("The API key is unknown, revoked, expired or not active."))
        failures_clear(scope=FAILURE_SCOPE, ident=address)
        return AnonymousUser(), ApiKeyAuth(key=api_key, organisation=api_key.organisation)

    def authenticate_header(self, request: Request) -> str:
        return "Api-Key"


def _client_address(request: Request) -> str:
    from .readers import client_ip  # readers imports this module: imported here, when a request is authenticated

    return client_ip(request) or "unknown"


def _window_rest(address: str) -> int:
    """Seconds until the address's failure window ends (the whole window if the cache cannot say)."""
    window = settings.API_KEY_FAILURE_WINDOW_SECONDS
    try:
        remaining = cache.ttl(f"failures:{FAILURE_SCOPE}:{address}")  # Redis only
    except Exception:  # a cache without ttl() (local memory), or Redis down
        remaining = None
    return math.ceil(remaining) if isinstance(remaining, int | float) and remaining > 0 else window


def api_key_usable(raw_key: str) -> ApiKey | None:
    """Return the key if it is usable (hashed match, not revoked, not expired, organisation active); else None."""
    if not raw_key or not raw_key.isprintable():  # NUL and control characters: no key has them (PostgreSQL refuses NUL)
        return None
    try:
        api_key = ApiKey.objects.get_from_key(raw_key)
    except ApiKey.DoesNotExist:
        return None
    return None if api_key.has_expired else api_key


class HasOrganisationApiKey(BasePermission):
    """Allow a request authenticated with an organisation's API key."""

    def has_permission(self, request: Request, view) -> bool:
        return isinstance(request.auth, ApiKeyAuth)
