from django.urls import path

from . import views, views_corrections

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("access-log/", views.access_log, name="access_log"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:case_id>/access-log/", views.case_access_log, name="case_access_log"),
    path("<uuid:case_id>/close/", views_corrections.case_close, name="close"),
    path("<uuid:case_id>/reopen/", views_corrections.case_reopen, name="reopen"),
    path("<uuid:case_id>/victims/new/", views.victim_create, name="victim_create"),
    path("<uuid:case_id>/victims/duplicates/", views.victim_duplicates, name="victim_duplicates"),
    path("<uuid:case_id>/suspects/new/", views.suspect_add, name="suspect_add"),
    path("<uuid:case_id>/sites/new/", views.site_add, name="site_add"),
    path("<uuid:case_id>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("<uuid:case_id>/steps/", views.step_record, name="step_record"),
    path("<uuid:case_id>/steps/<uuid:step_id>/undo/", views.step_undo, name="step_undo"),
    path("victims/<uuid:victim_id>/", views.victim_detail, name="victim_detail"),
    path("victims/<uuid:victim_id>/edit/", views.victim_edit, name="victim_edit"),
    path("victims/<uuid:victim_id>/representatives/", views.representative_add, name="representative_add"),
    path("attachments/<uuid:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("attachments/<uuid:attachment_id>/remove/", views_corrections.attachment_remove, name="attachment_remove"),
    path("suspects/<uuid:suspect_id>/edit/", views_corrections.suspect_edit, name="suspect_edit"),
    path("suspects/<uuid:suspect_id>/remove/", views_corrections.suspect_remove, name="suspect_remove"),
    path("sites/<uuid:site_id>/edit/", views_corrections.site_edit, name="site_edit"),
    path("sites/<uuid:site_id>/remove/", views_corrections.site_remove, name="site_remove"),
    path(
        "representatives/<uuid:representative_id>/edit/",
        views_corrections.representative_edit,
        name="representative_edit",
    ),
    path(
        "representatives/<uuid:representative_id>/remove/",
        views_corrections.representative_remove,
        name="representative_remove",
    ),
]
