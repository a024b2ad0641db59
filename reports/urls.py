from django.urls import path

from . import views

app_name = "reports"

urlpatterns: list = [
    # The rapport of a case and the head's print queue (reports/views.py)
    path("cases/<uuid:case_id>/rapport/", views.rapport_page, name="rapport"),
    path("cases/<uuid:case_id>/rapport/start/", views.rapport_start, name="rapport_start"),
    path("cases/<uuid:case_id>/rapport/save/", views.rapport_save, name="rapport_save"),
    path("cases/<uuid:case_id>/rapport/return/", views.rapport_return, name="rapport_return"),
    path("cases/<uuid:case_id>/rapport/approve/", views.rapport_approve, name="rapport_approve"),
    path("cases/<uuid:case_id>/rapport/register/", views.rapport_register, name="rapport_register"),
    path("print-queue/", views.print_queue, name="print_queue"),
]
