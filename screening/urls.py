from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("cases/<uuid:case_id>/new/", views.screening_wizard, name="wizard"),
    path("cases/<uuid:case_id>/preview/", views.screening_preview, name="preview"),
    path("<uuid:screening_id>/", views.screening_detail, name="detail"),
    path("<uuid:screening_id>/result.pdf", views.screening_result_pdf, name="result_pdf"),
    path("obligations/<uuid:obligation_id>/done/", views.obligation_complete, name="obligation_complete"),
    path("obligations/<uuid:obligation_id>/undo/", views.obligation_undo, name="obligation_undo"),
]
