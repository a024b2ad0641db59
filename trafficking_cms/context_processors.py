"""Template context shared by every page."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Expose the unread-notification count of the signed-in user, and which pages the menu offers them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.selectors import user_can_audit_access_log  # the cases app loads after the project settings
    from referrals.selectors import user_sees_referral_dashboard, user_sees_referral_list

    return {
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "can_audit_access_log": user_can_audit_access_log(user=user),
        "can_see_referral_list": user_sees_referral_list(user=user),
        "can_see_referral_dashboard": user_sees_referral_dashboard(user=user),
    }
