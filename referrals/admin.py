"""Admin: administrators keep the recipients directory here; consents, referrals, 1899 calls and rights sheets are case
data, read-only and only for superusers (as in cases.admin)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from accounts.admin_history import HistoryAdmin
from accounts.readers import reader_from
from cases.admin import SuperuserOnlyMixin
from cases.models import PersonalDataAccess
from cases.services import personal_data_read_record

from .forms import RecipientAdminForm
from .models import (
    Consent,
    HotlineCall,
    Recipient,
    Referral,
    RightsSheet,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from .templatetags.referral_tags import categories_text, services_text


@admin.register(Recipient)
class RecipientAdmin(HistoryAdmin):
    """The directory: organisations and police units that receive referrals, their contacts and agreements."""

    form = RecipientAdminForm
    list_display = ["display_name", "kind", "region", "phone", "email", "agreement", "active"]
    list_filter = ["kind", "active", "region"]
    list_select_related = ["organisation", "unit", "region"]
    search_fields = ["organisation__name", "name_ru", "name_en", "unit__name", "phone", "email", "address"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("kind", "organisation", "unit", "name_ru", "name_en", "region", "active")}),
        (_("Services and contacts"), {"fields": ("services", "phone", "email", "address", "hours")}),
        (_("Data-sharing agreement"), {"fields": ("agreement_reference", "agreement_categories")}),
    )

    @admin.display(description=_("name"), ordering="organisation__name")
    def display_name(self, recipient: Recipient) -> str:
        return recipient.display_name

    @admin.display(description=_("data-sharing agreement"))
    def agreement(self, recipient: Recipient) -> str:
        return f"{recipient.agreement_reference or '—'}: {categories_text(recipient.agreement_categories)}"


class CaseDataAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Read-only case data; a change page that is shown writes an access-log row against the record's case."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._logged(request, response, object_id, PersonalDataAccess.Action.VIEW)

    def _logged(self, request, response, object_id, action: str):
        if response.status_code == 200:
            record = self.model.objects.filter(pk=unquote(object_id)).first()
            case = self.case_of(record) if record is not None else None
            if case is not None:
                personal_data_read_record(
                    reader=reader_from(request),
                    case=case,
                    record=record,
                    action=action,
                    purpose=PersonalDataAccess.Purpose.SUPERVISION,
                )
        return response

    def case_of(self, record):
        return record.case


@admin.register(Consent)
class ConsentAdmin(CaseDataAdmin):
    """Consents by recipient and category; the person is named only by the case (open the case for more)."""

    list_display = ["case_number", "recipient", "category", "decision", "given_by", "decided_at", "withdrawn_at"]
    list_filter = ["decision", "category", "given_by", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["victim__case", "recipient__organisation", "recipient__unit"]
    exclude = ["victim", "representative"]
    readonly_fields = ["case_number"]
    search_fields = ["victim__case__number"]

    @admin.display(description=_("case"), ordering="victim__case__number")
    def case_number(self, consent: Consent) -> str:
        return consent.victim.case.number

    def case_of(self, consent: Consent):
        return consent.victim.case


@admin.register(Referral)
class ReferralAdmin(CaseDataAdmin, HistoryAdmin):
    """Referrals and their history (who changed the state, when and why); read-only."""

    list_display = ["case", "recipient", "status", "services_asked", "due_at", "sent_at", "updated_at"]
    list_filter = ["status", "recipient__kind"]
    list_select_related = ["case", "recipient__organisation", "recipient__unit"]
    exclude = ["victim"]
    search_fields = ["case__number", "external_ref"]
    date_hierarchy = "created_at"

    @admin.display(description=_("services asked for"))
    def services_asked(self, referral: Referral) -> str:
        return services_text(referral.services)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._logged(request, response, object_id, PersonalDataAccess.Action.HISTORY)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        return self._logged(request, response, object_id, PersonalDataAccess.Action.HISTORY)


@admin.register(HotlineCall)
class HotlineCallAdmin(CaseDataAdmin):
    """1899 calls, read-only; the caller's name and phone are left out (the desk's call page shows them, logged)."""

    list_display = ["received_at", "district", "urgency", "caller", "callback_consent", "case", "closed_at"]
    list_filter = ["urgency", "caller", "callback_consent", ("closed_at", admin.EmptyFieldListFilter), "district"]
    list_select_related = ["district", "case"]
    exclude = ["caller_name", "caller_phone"]
    search_fields = ["case__number"]
    date_hierarchy = "received_at"


@admin.register(RightsSheet)
class RightsSheetAdmin(CaseDataAdmin):
    """Rights and contacts sheets made, read-only (the file opens on the case page, where the download is logged)."""

    list_display = ["case", "language", "status", "created_by", "created_at", "rendered_at", "sha256"]
    list_filter = ["language", "status"]
    list_select_related = ["case", "created_by"]
    exclude = ["file"]
    search_fields = ["case__number", "sha256"]


# -- webhooks: the endpoints' settings (never their secrets) and the delivery log, read-only --------------------------
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Organisations register and change their endpoints themselves (API, integration page); the secret is not shown."""

    list_display = ["id", "organisation", "active", "disabled_reason", "created_at"]
    list_filter = ["active"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "organisation__code"]
    fields = [
        "id", "organisation", "url", "event_types", "description", "active", "disabled_at", "disabled_reason",
        "previous_secret_expires_at", "created_at", "updated_at",
    ]  # fmt: skip
    readonly_fields = fields


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "status_code", "error", "duration_ms", "succeeded", "retry_after_seconds"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "event_type", "endpoint", "status", "attempts", "created_at"]
    list_filter = ["event_type", "outbox_message__status"]
    list_select_related = ["outbox_message", "endpoint"]
    fields = ["id", "endpoint", "event_type", "referral", "outbox_message", "created_at"]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]

    @admin.display(description=_("status"), ordering="outbox_message__status")
    def status(self, delivery: WebhookDelivery) -> str:
        return delivery.outbox_message.get_status_display()

    @admin.display(description=_("attempts"))
    def attempts(self, delivery: WebhookDelivery) -> int:
        return delivery.outbox_message.attempts
