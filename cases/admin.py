"""Admin: reference data for administrators; case data itself is read-only here and only for superusers."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdminMixin

from accounts.admin_history import HistoryAdmin
from accounts.readers import reader_from

from .models import Attachment, Case, Country, PersonalDataAccess
from .selectors import personal_data_probes_of
from .services import personal_data_read_record


class SuperuserOnlyMixin:
    """Case data is never browsed through the admin by staff: only superusers, who see everything anyway."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # django-simple-history checks its own model permissions when SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS is
    # on (view_historicalcase, …), not the view permission above: without these, staff holding such a permission
    # would read the history. Superusers only, as for the records themselves.
    def has_view_history_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_view(self, request, object_id, extra_context=None):
        """Anyone else is answered 404, the same for a record that exists and one that does not."""
        if not (request.user.is_active and request.user.is_superuser):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (request.user.is_active and request.user.is_superuser):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Case)
class CaseAdmin(SuperuserOnlyMixin, GuardedModelAdminMixin, HistoryAdmin):
    """The case's change and history pages show its circumstances: each one shown writes an access-log row."""

    list_display = ["number", "unit", "status", "source", "received_at"]
    list_filter = ["status", "source", "unit"]
    search_fields = ["number"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return _logged(request, response, object_id, PersonalDataAccess.Action.VIEW)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return _logged(request, response, object_id, PersonalDataAccess.Action.HISTORY)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        return _logged(request, response, object_id, PersonalDataAccess.Action.HISTORY)


def _logged(request, response, object_id, action: str):
    """Write the access-log row of an admin page that was shown (not of a refusal or a redirect)."""
    if response.status_code == 200:
        case = Case.objects.filter(pk=unquote(object_id)).first()
        if case is not None:
            personal_data_read_record(
                reader=reader_from(request),
                case=case,
                record=case,
                action=action,
                purpose=PersonalDataAccess.Purpose.SUPERVISION,
            )
    return response


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """The access log, read-only. The search box finds who probed a phone, document number or name (hashed)."""

    list_display = ["at", "who", "unit", "action", "purpose", "record_type", "record_id", "query_kinds", "ip_address"]
    list_filter = ["action", "purpose", "record_type", "unit", "organisation"]
    list_select_related = ["user", "api_key", "organisation", "unit"]
    date_hierarchy = "at"
    search_fields = ["record_id"]  # shows the search box; the search itself is get_search_results
    search_help_text = _("A phone, document number or name: the duplicate checks that searched it.")

    @admin.display(description=_("who"))
    def who(self, row: PersonalDataAccess) -> str:
        return row.reader_label

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        probes = personal_data_probes_of(phone=term, document_number=term, name=term)
        return queryset.filter(pk__in=probes.values("pk")), False


@admin.register(Attachment)
class AttachmentAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Files of cases, read-only, removed ones included: what was removed, by whom and why. The file itself opens
    through the permission-checked download view (superusers may open a removed one; the download is logged)."""

    list_display = [
        "original_name",
        "case",
        "kind",
        "uploaded_at",
        "removed_at",
        "removed_by",
        "removal_reason",
        "open",
    ]
    list_filter = [("removed_at", admin.EmptyFieldListFilter), "kind"]
    list_select_related = ["case", "removed_by"]
    exclude = ["file"]  # no public URL: files are served only by the download view
    search_fields = ["case__number"]

    @admin.display(description=_("file"))
    def open(self, attachment: Attachment) -> str:
        return format_html('<a href="{}">{}</a>', reverse("cases:attachment_download", args=[attachment.pk]), _("open"))


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ru", "name_en", "sort_order"]
    search_fields = ["code", "name", "name_ru", "name_en"]
    list_editable = ["sort_order"]
