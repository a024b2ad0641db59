from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from accounts import otp_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # The sign-in form takes GET and POST only (Django's LoginView would take PUT as POST).
    path(
        "login/",
        require_http_methods(["GET", "HEAD", "POST"])(
            auth_views.LoginView.as_view(template_name="registration/login.html")
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor sign-in after the password (accounts/otp.py): the code step, and enrolment at the first sign-in.
    path("login/code/", otp_views.otp_verify, name="otp_verify"),
    path("login/code/enrol/", otp_views.otp_enrol, name="otp_enrol"),
    # The language switch is a form's POST; Django's view would redirect any other method too.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("health/", views.health, name="health"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_mark_read, name="notifications_mark_read"),
    path("notifications/<uuid:notification_id>/read/", views.notification_mark_read, name="notification_mark_read"),
    path("cases/", include("cases.urls")),
    path("screening/", include("screening.urls")),
    path("referrals/", include("referrals.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("trafficking_cms.api_urls")),
]

handler404 = "trafficking_cms.views.page_not_found"
