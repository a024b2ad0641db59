"""Admin: reference data for administrators; case data itself is read-only here and only for superusers."""

from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, Country, PersonalDataAccess


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


@admin.register(Case)
class CaseAdmin(SuperuserOnlyMixin, GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "unit", "status", "source", "received_at"]
    list_filter = ["status", "source", "unit"]
    search_fields = ["number"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "user", "unit", "action", "record_type", "record_id", "ip_address"]
    list_filter = ["action", "record_type", "unit"]
    date_hierarchy = "at"


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ru", "name_en", "sort_order"]
    search_fields = ["code", "name", "name_ru", "name_en"]
    list_editable = ["sort_order"]
