"""Template context shared by every page."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Expose the unread-notification count of the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.notifications.filter(read_at__isnull=True).count()}
