from django.urls import path

from . import views_exports

app_name = "reports"

urlpatterns: list = []

# Exports (issue 11 item 5)
urlpatterns += [
    path("exports/", views_exports.exports_page, name="exports"),
    path("exports/cases.csv", views_exports.cases_csv, name="cases_csv"),
    path("exports/cases.xlsx", views_exports.cases_xlsx, name="cases_xlsx"),
    path("exports/htcds/", views_exports.htcds_export, name="htcds_export"),
]
