from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapports and reports")

    def ready(self) -> None:
        from .notices import register_all

        register_all()  # the texts of the rapport's notices
