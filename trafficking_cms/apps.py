from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraffickingCmsConfig(AppConfig):
    name = "trafficking_cms"
    verbose_name = _("Trafficking case management")

    def ready(self) -> None:
        from .db import read_out_of_range_dates

        read_out_of_range_dates()
