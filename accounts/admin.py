from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from .admin_history import HistoryAdmin
from .models import ApiKey, Notification, Organisation, OutboxMessage, Unit, User
from .otp import otp_reset
from .selectors import groups_grantable_by, permissions_grantable_by, user_editable_by
from .services import user_deactivate
from .sessions import sessions_delete_for_user


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["display_name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_ru", "name_en", "code"]
    ordering = ["path"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    list_display = ["username", "last_name", "first_name", "unit", "is_active"]
    list_filter = ["groups", "unit", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Police unit"), {"fields": ("unit", "position", "position_ru", "rank", "rank_ru", "organisation")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Police unit"), {"fields": ("unit", "groups", "position", "position_ru", "rank", "rank_ru")}),
    )
    actions = ["deactivate_users", "reset_two_factor"]
    # What a staff member may not change on their own account: their powers and their unit (the scope of their cases).
    OWN_ACCOUNT_READ_ONLY = ("is_staff", "groups", "user_permissions", "unit", "organisation")

    def get_readonly_fields(self, request, obj=None):
        """A staff member who is not a superuser grants no superuser status and does not raise their own account."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")
            if obj is not None and obj.pk == request.user.pk:
                fields.extend(self.OWN_ACCOUNT_READ_ONLY)
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        """Offer only the permissions the editor holds, and the groups all of whose permissions the editor holds."""
        if db_field.name == "user_permissions":
            kwargs["queryset"] = permissions_grantable_by(user=request.user).select_related("content_type")
        elif db_field.name == "groups":
            kwargs["queryset"] = groups_grantable_by(user=request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not user_editable_by(editor=request.user, target=obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not user_editable_by(editor=request.user, target=obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        """A user deactivated here is signed out everywhere, in the admin's transaction (as user_deactivate does)."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            sessions_delete_for_user(user_id=obj.pk)

    @admin.action(description=_("Deactivate the selected users and end their sessions"), permissions=["change"])
    def deactivate_users(self, request, queryset) -> None:
        # Not the editor's own account: a slip in a bulk action would sign them out with it.
        editable = [
            user
            for user in queryset
            if user.pk != request.user.pk and user_editable_by(editor=request.user, target=user)
        ]
        for user in editable:
            user_deactivate(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d user deactivated and signed out.",
                "%(count)d users deactivated and signed out.",
                len(editable),
            )
            % {"count": len(editable)},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Reset the two-factor authenticator of the selected users and end their sessions"),
        permissions=["change"],
    )
    def reset_two_factor(self, request, queryset) -> None:
        # Not the editor's own account (it would sign them out); a user they may not edit is left alone.
        editable = [
            user
            for user in queryset
            if user.pk != request.user.pk and user_editable_by(editor=request.user, target=user)
        ]
        for user in editable:
            otp_reset(user=user)
        self.message_user(
            request,
            ngettext(
                "%(count)d user's authenticator reset and signed out; they set up a new one at their next sign-in.",
                "%(count)d users' authenticators reset and signed out; they set up a new one at their next sign-in.",
                len(editable),
            )
            % {"count": len(editable)},
            messages.SUCCESS,
        )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "kind", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "channel", "kind"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "read_at"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


# The library's own key model belongs to no organisation and is never used here: keys are ApiKey, below.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "organisation"]
    list_filter = [*APIKeyModelAdmin.list_filter, "organisation"]


# The administration is titled as this system, in the reader's language, not as "Django administration".
admin.site.site_header = _("Trafficking case management")
admin.site.site_title = _("Trafficking case management")
admin.site.index_title = _("Administration")
