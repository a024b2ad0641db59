"""Project-wide pages: health check, notifications, the 404 page."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.notifications import render_notification
from accounts.services import notification_mark_read


def health(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers (for load balancers and docker-compose)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = list(request.user.notifications.all()[:50])
    rows = []
    for notification in notifications:
        subject, _body = render_notification(kind=notification.kind, params=notification.params, link=notification.link)
        rows.append({"notification": notification, "subject": subject})
    response = render(request, "notifications.html", {"rows": rows})
    for notification in notifications:
        notification_mark_read(notification=notification)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)
