from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from screening.signals import obligations_added

        from .notices import register_all
        from .services import referrals_for_new_obligations
        from .webhooks import register as register_webhooks

        register_all()  # the texts of the referral notices
        register_webhooks()  # the outbox delivers "webhook" rows through referrals.webhooks

        # The routing rules' referrals are drafted in the transaction that adds the due items.
        obligations_added.connect(referrals_for_new_obligations, dispatch_uid="referrals.routing")
