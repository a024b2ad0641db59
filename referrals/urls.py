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
    path("hotline/new/", views.hotline_call_new, name="hotline_call_new"),
    path("hotline/<uuid:call_id>/", views.hotline_call_detail, name="hotline_call_detail"),
    path("hotline/<uuid:call_id>/close/", views.hotline_call_close, name="hotline_call_close"),
    path("directory/", views.directory, name="directory"),
    path("cases/<uuid:case_id>/rights-sheet/", views.rights_sheet_create, name="rights_sheet_create"),
    path("rights-sheets/<uuid:sheet_id>/", views.rights_sheet_status, name="rights_sheet_status"),
    path("rights-sheets/<uuid:sheet_id>/download/", views.rights_sheet_download, name="rights_sheet_download"),
]
