from django.urls import path

from . import views_exports, views_pdf, views_stats

app_name = "reports"

urlpatterns: list = []

# Exports (issue 11 item 5)
urlpatterns += [
    path("exports/", views_exports.exports_page, name="exports"),
    path("exports/cases.csv", views_exports.cases_csv, name="cases_csv"),
    path("exports/cases.xlsx", views_exports.cases_xlsx, name="cases_xlsx"),
    path("exports/htcds/", views_exports.htcds_export, name="htcds_export"),
]

# The rapport's PDF and its printed flag (reports/views_pdf.py).
urlpatterns += [
    path("rapports/<uuid:rapport_id>/pdf/", views_pdf.rapport_pdf_create, name="rapport_pdf_create"),
    path("rapports/<uuid:rapport_id>/pdf/status/", views_pdf.rapport_pdf_status, name="rapport_pdf_status"),
    path("rapports/<uuid:rapport_id>/printed/", views_pdf.rapport_mark_printed, name="rapport_mark_printed"),
    path("rapport-pdfs/<uuid:pdf_id>/download/", views_pdf.rapport_pdf_download, name="rapport_pdf_download"),
]

# Statistics for heads of department and analysts.
urlpatterns += [
    path("statistics/", views_stats.statistics, name="statistics"),
]
