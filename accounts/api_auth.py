"""API-key permission: `Authorization: Api-Key <key>`, hashed keys of one organisation each, revocable."""

from rest_framework_api_key.permissions import BaseHasAPIKey

from .models import ApiKey


class HasOrganisationApiKey(BaseHasAPIKey):
    model = ApiKey
