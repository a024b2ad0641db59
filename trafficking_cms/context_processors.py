"""Template context shared by every page."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Expose the unread-notification count of the signed-in user, and whether the menu offers the access log."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.selectors import user_can_audit_access_log  # the cases app loads after the project settings

    return {
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "can_audit_access_log": user_can_audit_access_log(user=user),
    }
