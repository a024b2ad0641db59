"""API-key permission: `Authorization: Api-Key <key>`, hashed keys of one organisation each, revocable."""

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request
from rest_framework_api_key.permissions import BaseHasAPIKey

from .models import ApiKey


class HasOrganisationApiKey(BaseHasAPIKey):
    model = ApiKey


class ApiKeyChallenge(BaseAuthentication):
    """Answer 401 with `WWW-Authenticate: Api-Key` to a request without credentials.

    The key itself is checked by HasOrganisationApiKey (a permission, as in djangorestframework-api-key); this class
    authenticates no one and only names the scheme, so clients are told how to authenticate instead of a bare 403.
    """

    def authenticate(self, request: Request) -> None:
        return None

    def authenticate_header(self, request: Request) -> str:
        return "Api-Key"
