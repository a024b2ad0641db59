"""/api/v1/webhooks/endpoints/…: an organisation registers, changes, tests and reads the log of its webhook endpoints.

The caller is the organisation: through its API key, or through a signed-in member of its staff. Anyone else is
refused (403); another organisation's endpoint answers 404.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiKeyAuth, HasOrganisationApiKey
from accounts.api_pagination import LimitOffsetPages
from accounts.models import Organisation

from . import webhook_selectors as selectors
from . import webhooks
from .models import DisabledReason
from .webhook_serializers import (
    EXAMPLES,
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointInputSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
    WebhookSecretRotatedSerializer,
    WebhookTestQueuedSerializer,
)

TAGS = ["webhooks"]
ERRORS = {400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


class OrganisationApiView(APIView):
    """A view for the organisation that calls: its API key, or its staff's session."""

    permission_classes = [IsAuthenticated | HasOrganisationApiKey]

    def organisation_or_none(self, request: Request) -> Organisation | None:
        if isinstance(request.auth, ApiKeyAuth):
            return request.auth.organisation
        return selectors.webhook_organisation_of(user=request.user)

    def organisation(self, request: Request) -> Organisation:
        organisation = self.organisation_or_none(request)
        if organisation is None:
            raise exceptions.PermissionDenied("Only an organisation (its API key or its staff) manages webhooks.")
        return organisation

    def endpoint(self, request: Request, endpoint_id):
        # A named endpoint answers 404 to anyone not of its organisation, an officer included (the selector decides).
        return selectors.webhook_endpoint_get(organisation=self.organisation_or_none(request), endpoint_id=endpoint_id)

    def who(self, request: Request) -> dict:
        if isinstance(request.auth, ApiKeyAuth):
            return {"actor": None, "api_key": request.auth.key}
        return {"actor": request.user, "api_key": None}


def _valid(serializer_class, request: Request, **kwargs) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ParseError("Send a JSON object.")
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class EndpointListView(OrganisationApiView):
    @extend_schema(
        tags=TAGS, summary="List the organisation's endpoints",
        responses={200: WebhookEndpointSerializer(many=True), **ERRORS}, examples=EXAMPLES["list"],
    )  # fmt: skip
    def get(self, request: Request) -> Response:
        endpoints = selectors.webhook_endpoints_of(organisation=self.organisation(request))
        return Response(WebhookEndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        tags=TAGS, summary="Register an endpoint (its secret is shown this once)",
        request=WebhookEndpointInputSerializer, responses={201: WebhookEndpointCreatedSerializer, **ERRORS},
        examples=EXAMPLES["create"],
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        organisation = self.organisation(request)
        data = _valid(WebhookEndpointInputSerializer, request)
        endpoint, secret = webhooks.webhook_endpoint_create(organisation=organisation, **data, **self.who(request))
        body = {**WebhookEndpointSerializer(endpoint).data, "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)


class EndpointDetailView(OrganisationApiView):
    @extend_schema(
        tags=TAGS, summary="Read an endpoint", responses={200: WebhookEndpointSerializer, **ERRORS},
        examples=EXAMPLES["endpoint"],
    )  # fmt: skip
    def get(self, request: Request, endpoint_id) -> Response:
        return Response(WebhookEndpointSerializer(self.endpoint(request, endpoint_id)).data)

    @extend_schema(
        tags=TAGS, summary="Change an endpoint (url, event_types, description, active)",
        request=WebhookEndpointUpdateSerializer, responses={200: WebhookEndpointSerializer, **ERRORS},
        examples=EXAMPLES["update"] + EXAMPLES["endpoint"],
    )  # fmt: skip
    def patch(self, request: Request, endpoint_id) -> Response:
        endpoint = self.endpoint(request, endpoint_id)
        data = _valid(WebhookEndpointUpdateSerializer, request)
        endpoint = webhooks.webhook_endpoint_update(endpoint=endpoint, **data, **self.who(request))
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(
        tags=TAGS, summary="Remove an endpoint (it is disabled; its delivery log stays)",
        responses={204: None, **ERRORS},
    )  # fmt: skip
    def delete(self, request: Request, endpoint_id) -> Response:
        endpoint = self.endpoint(request, endpoint_id)
        webhooks.webhook_endpoint_disable(endpoint=endpoint, reason=DisabledReason.REMOVED, **self.who(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointTestView(OrganisationApiView):
    @extend_schema(
        tags=TAGS, summary="Send a signed webhook.test event through the outbox", request=None,
        responses={202: WebhookTestQueuedSerializer, **ERRORS}, examples=EXAMPLES["test"],
    )  # fmt: skip
    def post(self, request: Request, endpoint_id) -> Response:
        delivery = webhooks.webhook_send_test(endpoint=self.endpoint(request, endpoint_id))
        return Response({"delivery_id": delivery.webhook_id, "status": "pending"}, status=status.HTTP_202_ACCEPTED)


class EndpointRotateSecretView(OrganisationApiView):
    @extend_schema(
        tags=TAGS, summary="Rotate the secret (the old one signs too for 24 hours)", request=None,
        responses={200: WebhookSecretRotatedSerializer, **ERRORS}, examples=EXAMPLES["rotate"],
    )  # fmt: skip
    def post(self, request: Request, endpoint_id) -> Response:
        endpoint = self.endpoint(request, endpoint_id)
        endpoint, secret = webhooks.webhook_endpoint_rotate_secret(endpoint=endpoint, **self.who(request))
        body = {"id": endpoint.pk, "secret": secret, "previous_secret_expires_at": endpoint.previous_secret_expires_at}
        return Response(WebhookSecretRotatedSerializer(body).data)


class EndpointDeliveriesView(OrganisationApiView, generics.ListAPIView):
    """The endpoint's deliveries, paged as every list of the API (`limit`, `offset`)."""

    pagination_class = LimitOffsetPages
    serializer_class = WebhookDeliverySerializer

    def get_queryset(self):
        return selectors.webhook_deliveries_of(endpoint=self.endpoint(self.request, self.kwargs["endpoint_id"]))

    @extend_schema(
        tags=TAGS, summary="The endpoint's deliveries, newest first, with every attempt",
        responses={200: WebhookDeliverySerializer(many=True), **ERRORS}, examples=EXAMPLES["deliveries"],
    )  # fmt: skip
    def get(self, request: Request, *args, **kwargs) -> Response:
        return self.list(request, *args, **kwargs)
