from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from screening.api import QualifyView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("screening/qualify/", QualifyView.as_view(), name="api-qualify"),
]
