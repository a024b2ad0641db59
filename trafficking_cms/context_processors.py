"""Template context shared by every page."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Expose the unread-notification count of the signed-in user, and which pages the menu offers (the access log,
    the 1899 calls, the recipients directory)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.selectors import user_can_audit_access_log  # the apps load after the project settings
    from referrals.selectors import user_is_hotline_desk, user_may_read_directory

    return {
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "can_audit_access_log": user_can_audit_access_log(user=user),
        "is_hotline_desk": user_is_hotline_desk(user=user),
        "can_read_directory": user_may_read_directory(user=user),
    }
