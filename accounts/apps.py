from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Units and users")

    def ready(self) -> None:
        from . import (
            api_schema,  # noqa: F401 - registers the OpenAPI description of the API-key scheme
            encryption,
            otp,  # noqa: F401 - a deleted OTP device ends its user's sessions
            sessions,  # noqa: F401 - stamps each new session with its sign-in time
        )

        # Refuse to start with malformed FIELD_ENCRYPTION_KEYS, not at the first encrypted read.
        encryption.field_keys()
