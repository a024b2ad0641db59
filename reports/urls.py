from django.urls import path

from . import views_pdf

app_name = "reports"

urlpatterns: list = []

# The rapport's PDF and its printed flag (reports/views_pdf.py).
urlpatterns += [
    path("rapports/<uuid:rapport_id>/pdf/", views_pdf.rapport_pdf_create, name="rapport_pdf_create"),
    path("rapports/<uuid:rapport_id>/pdf/status/", views_pdf.rapport_pdf_status, name="rapport_pdf_status"),
    path("rapports/<uuid:rapport_id>/printed/", views_pdf.rapport_mark_printed, name="rapport_mark_printed"),
    path("rapport-pdfs/<uuid:pdf_id>/download/", views_pdf.rapport_pdf_download, name="rapport_pdf_download"),
]
