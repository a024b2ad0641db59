from django.urls import path

from . import views_stats

app_name = "reports"

urlpatterns: list = []

# Statistics for heads of department and analysts.
urlpatterns += [
    path("statistics/", views_stats.statistics, name="statistics"),
]
