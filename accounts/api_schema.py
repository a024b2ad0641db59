"""OpenAPI description of the API-key scheme (drf-spectacular extension, loaded when the app is ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeySchemeExtension(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.OrganisationApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: one hashed, revocable key per organisation.",
        }
