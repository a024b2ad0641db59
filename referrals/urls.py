from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:referral_id>/", views.inbox_detail, name="inbox_detail"),
    path("inbox/<uuid:referral_id>/accept/", views.inbox_accept, name="inbox_accept"),
    path("inbox/<uuid:referral_id>/decline/", views.inbox_decline, name="inbox_decline"),
    path("inbox/<uuid:referral_id>/service/", views.inbox_service, name="inbox_service"),
    path("hotline/", views.hotline_calls, name="hotline_calls"),
]
