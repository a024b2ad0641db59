from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from referrals.api import (
    ReferralAcceptView,
    ReferralDeclineView,
    ReferralDetailView,
    ReferralListView,
    ReferralUpdateView,
)
from screening.api import QualifyView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("screening/qualify/", QualifyView.as_view(), name="api-qualify"),
    # A malformed id is a str here, answered 404 JSON by the selector (a uuid converter would give Django's 404).
    path("referrals/", ReferralListView.as_view(), name="api-referrals"),
    path("referrals/<str:referral_id>/", ReferralDetailView.as_view(), name="api-referral"),
    path("referrals/<str:referral_id>/accept/", ReferralAcceptView.as_view(), name="api-referral-accept"),
    path("referrals/<str:referral_id>/decline/", ReferralDeclineView.as_view(), name="api-referral-decline"),
    path("referrals/<str:referral_id>/updates/", ReferralUpdateView.as_view(), name="api-referral-updates"),
]
