from csp.decorators import csp_update
from django.urls import path

from referrals import webhook_api
from referrals.api import (
    ReferralAcceptView,
    ReferralDeclineView,
    ReferralDetailView,
    ReferralListView,
    ReferralUpdateView,
)
from screening.api import QualifyView

from .api_schema_views import SchemaDocsView, SchemaView

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # Swagger UI: its start script is a file of its own (the split view), but its page carries a <style> block and the
    # UI sets style attributes and draws its icons as data: images; this page alone allows inline styles and data:.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
            SchemaDocsView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("screening/qualify/", QualifyView.as_view(), name="api-qualify"),
    # A malformed id is a str here, answered 404 JSON by the selector (a uuid converter would give Django's 404).
    path("referrals/", ReferralListView.as_view(), name="api-referrals"),
    path("referrals/<str:referral_id>/", ReferralDetailView.as_view(), name="api-referral"),
    path("referrals/<str:referral_id>/accept/", ReferralAcceptView.as_view(), name="api-referral-accept"),
    path("referrals/<str:referral_id>/decline/", ReferralDeclineView.as_view(), name="api-referral-decline"),
    path("referrals/<str:referral_id>/updates/", ReferralUpdateView.as_view(), name="api-referral-updates"),
    path("webhooks/endpoints/", webhook_api.EndpointListView.as_view(), name="api-webhook-endpoints"),
    path(
        "webhooks/endpoints/<uuid:endpoint_id>/", webhook_api.EndpointDetailView.as_view(), name="api-webhook-endpoint"
    ),
    path(
        "webhooks/endpoints/<uuid:endpoint_id>/test/",
        webhook_api.EndpointTestView.as_view(),
        name="api-webhook-endpoint-test",
    ),
    path(
        "webhooks/endpoints/<uuid:endpoint_id>/rotate-secret/",
        webhook_api.EndpointRotateSecretView.as_view(),
        name="api-webhook-endpoint-rotate",
    ),
    path(
        "webhooks/endpoints/<uuid:endpoint_id>/deliveries/",
        webhook_api.EndpointDeliveriesView.as_view(),
        name="api-webhook-endpoint-deliveries",
    ),
]
