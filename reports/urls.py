from django.urls import path  # noqa: F401  (each part of the app adds its paths below)

app_name = "reports"

urlpatterns: list = []
