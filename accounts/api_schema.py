"""OpenAPI description of the API-key and session schemes (drf-spectacular extensions, loaded when the app is
ready)."""

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


class VerifiedSessionSchemeExtension(OpenApiAuthenticationExtension):
    """The browser session that has passed the two-factor code step (accounts.otp.VerifiedSessionAuthentication)."""

    target_class = "accounts.otp.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema) -> dict:
        from django.conf import settings

        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "A signed-in browser session that has given the two-factor code (403 `otp_required` else).",
        }
