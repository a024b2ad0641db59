"""Template context shared by every page."""

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    """Whether the session still owes the two-factor code (no menu then) or two-factor sign-in is off (a banner says
    so); expose the unread-notification count of the signed-in user, whether the menu offers the access log, "My due
    items" and the triage queue, and how many items of each are overdue (one query for both counts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # The apps load after the project settings.
    from django.conf import settings
    from django.utils import timezone

    from accounts.otp import otp_pending

    if otp_pending(user):  # signed in with the password only: no menu until the code is given
        return {"otp_pending": True}

    from cases.selectors import user_can_audit_access_log
    from referrals.selectors import (
        user_is_hotline_desk,
        user_may_read_directory,
        user_sees_referral_dashboard,
        user_sees_referral_list,
    )
    from referrals.triage_selectors import menu_overdue_counts, user_has_due_items, user_has_triage
    from referrals.webhook_selectors import user_may_manage_webhooks
    from reports.selectors import user_sees_print_queue
    from reports.stats import user_sees_statistics

    return {
        # Two-factor sign-in switched off (the demo): every signed-in page says so.
        "otp_switched_off": not settings.OTP_REQUIRED,
        "demo_mode": settings.DEMO_MODE,
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "can_audit_access_log": user_can_audit_access_log(user=user),
        "menu_due_items": user_has_due_items(user=user),
        "menu_triage": user_has_triage(user=user),
        "menu_overdue": menu_overdue_counts(user=user, now=timezone.now()),
        "can_see_referral_list": user_sees_referral_list(user=user),
        "can_see_referral_dashboard": user_sees_referral_dashboard(user=user),
        "is_hotline_desk": user_is_hotline_desk(user=user),
        "can_read_directory": user_may_read_directory(user=user),
        "can_manage_webhooks": user_may_manage_webhooks(user=user),
        "can_see_statistics": user_sees_statistics(user=user),
        "can_see_print_queue": user_sees_print_queue(user=user),
    }
