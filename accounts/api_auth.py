"""API-key authentication: `Authorization: Api-Key <key>`, hashed keys of one active organisation each, revocable.

The key and its organisation are put on `request.auth` (an ApiKeyAuth) for the views that follow; `request.user` stays
anonymous, as an organisation is not a person.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from .models import ApiKey, Organisation


@dataclass(frozen=True)
class ApiKeyAuth:
    """What an API request was authenticated with: the key and the organisation it belongs to."""

    key: ApiKey
    organisation: Organisation


class OrganisationApiKeyAuthentication(BaseAuthentication):
    """Authenticate `Authorization: Api-Key <key>`: hashed, not revoked, not expired, of an active organisation.

    Without that header the request is left to the next authentication class (the session); a key that is given but
    not usable answers 401 with `WWW-Authenticate: Api-Key`.
    """

    key_parser = KeyParser()

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiKeyAuth] | None:
        raw_key = self.key_parser.get(request)
        if raw_key is None:
            return None
        api_key = api_key_usable(raw_key.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed(_("The API key is unknown, revoked, expired or not active."))
        return AnonymousUser(), ApiKeyAuth(key=api_key, organisation=api_key.organisation)

    def authenticate_header(self, request: Request) -> str:
        return "Api-Key"


def api_key_usable(raw_key: str) -> ApiKey | None:
    """Return the key if it is usable (hashed match, not revoked, not expired, organisation active); else None."""
    if not raw_key:
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
