"""Project-wide pages: the first page after signing in, health check, notifications, the 404 page."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.notifications import render_notification
from accounts.roles import CASE_WORK_ROLES, Role
from accounts.services import notifications_mark_read
from referrals.triage_selectors import user_has_due_items

NOTIFICATIONS_SHOWN = 50


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its first job: the 1899 desk to its calls, International Cooperation and NGO staff to the
    referrals they received, every other police role to its due items, analysts (and anyone else) to the case list."""
    user = request.user
    if user.has_role(Role.HOTLINE_OPERATOR) and not user.has_role(*CASE_WORK_ROLES):
        return redirect("referrals:hotline_calls")
    if user.has_role(Role.INTL_COOPERATION, Role.NGO_STAFF) and not user.has_role(*CASE_WORK_ROLES):
        return redirect("referrals:inbox")
    if user_has_due_items(user=user):
        return redirect("referrals:my_items")
    return redirect("cases:list")


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers (for load balancers and docker-compose)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    """The reader's newest notifications; reading the page changes nothing (marking read is a POST)."""
    rows = []
    for notification in request.user.notifications.all()[:NOTIFICATIONS_SHOWN]:
        subject, _body = render_notification(kind=notification.kind, params=notification.params, link=notification.link)
        rows.append({"notification": notification, "subject": subject})
    return render(request, "notifications.html", {"rows": rows})


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, notification_id=None) -> HttpResponse:
    """Mark all of the reader's notifications, or one of them, as read; another person's answers 404."""
    ids = None if notification_id is None else [notification_id]
    marked = notifications_mark_read(recipient=request.user, notification_ids=ids)
    if ids and not marked and not request.user.notifications.filter(pk=notification_id).exists():
        raise Http404
    return redirect("notifications")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page; under /api/ a JSON answer, as every other error of the API."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)
