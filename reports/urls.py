from django.urls import path

from . import views, views_exports, views_pdf, views_stats

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

# The rapport's PDF and its printed flag (reports/views_pdf.py).
urlpatterns += [
    path("rapports/<uuid:rapport_id>/pdf/", views_pdf.rapport_pdf_create, name="rapport_pdf_create"),
    path("rapports/<uuid:rapport_id>/pdf/status/", views_pdf.rapport_pdf_status, name="rapport_pdf_status"),
    path("rapports/<uuid:rapport_id>/printed/", views_pdf.rapport_mark_printed, name="rapport_mark_printed"),
    path("rapport-pdfs/<uuid:pdf_id>/download/", views_pdf.rapport_pdf_download, name="rapport_pdf_download"),
]

# Statistics for heads of department and analysts (reports/views_stats.py).
urlpatterns += [
    path("statistics/", views_stats.statistics, name="statistics"),
]

# Exports of the case list and the anonymised HTCDS export (reports/views_exports.py).
urlpatterns += [
    path("exports/", views_exports.exports_page, name="exports"),
    path("exports/cases.csv", views_exports.cases_csv, name="cases_csv"),
    path("exports/cases.xlsx", views_exports.cases_xlsx, name="cases_xlsx"),
    path("exports/htcds/", views_exports.htcds_export, name="htcds_export"),
]
