"""The NGO referral API (ARCHITECTURE §6): the recipient's inbox for an organisation's API key or a signed-in user.

Thin views: the selectors decide what the caller may see (a referral outside the caller's inbox answers 404, never
403) and log the reads of personal data; the services of referrals.services make every change, the same functions a
browser click runs (`actor=None, organisation=…` for a key, `actor=user` for a session).
"""

from collections.abc import Callable

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiKeyAuth, HasOrganisationApiKey
from accounts.api_pagination import LimitOffsetPages
from accounts.readers import reader_from

from . import selectors, services
from .serializers import (
    AcceptSerializer,
    DeclineSerializer,
    ErrorSerializer,
    ReferralChangeSerializer,
    ReferralFilterSerializer,
    ReferralPayloadSerializer,
    ReferralSummarySerializer,
    ServiceUpdateInputSerializer,
)

TAG = "referrals"


class Conflict(exceptions.APIException):
    """The referral is not in a state the change starts from (someone changed it first)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The referral's state does not allow this change."
    default_code = "conflict"


def _acting(request: Request) -> dict:
    """Who the services record as acting: the organisation of an API key (no person), or the signed-in user."""
    if isinstance(request.auth, ApiKeyAuth):
        return {"actor": None, "organisation": request.auth.organisation}
    return {"actor": request.user}


def _changed(request: Request, referral_id: str, serializer_class, change: Callable[..., object]) -> Response:
    """Find the referral in the caller's inbox (404 otherwise, before the body is judged), validate the body (400),
    run the change as the caller (409 when the referral's state does not allow it), and answer with what the caller
    now sees of it (a read of personal data: logged)."""
    reader = reader_from(request)
    referral = selectors.referral_get_for_reader(reader=reader, referral_id=referral_id)
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        change(referral=referral, data=serializer.validated_data, **_acting(request))
    except services.TransitionRefused as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    _, payload = selectors.referral_shown_to_recipient(reader=reader, referral_id=referral.pk)
    return Response(payload)


# -- the OpenAPI description ------------------------------------------------------------------------------------------
REFERRAL_ID = OpenApiParameter(
    "referral_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description="The referral's id (from the list or a webhook).",
)
EXAMPLE_ID = "0b7c6a62-5d0e-4a43-9a55-6c1f3f7e2d10"
SUMMARY_EXAMPLE = {
    "id": EXAMPLE_ID,
    "status": "sent",
    "case_number": "01-2026-000123",
    "recipient": "«Ишеним» кризистик борбору",
    "services": ["shelter", "legal"],
    "due_at": "2026-12-02T09:00:00+06:00",
    "sent_at": "2026-12-01T09:00:00+06:00",
    "updated_at": "2026-12-01T09:00:00+06:00",
    "external_ref": "",
    "child": False,
}
PAYLOAD_EXAMPLE = {
    "id": EXAMPLE_ID,
    "status": "accepted",
    "case_number": "01-2026-000123",
    "unit": "Аламүдүн ИИБ",
    "officer": {"name": "Асанов Бакыт", "position": "инспектор", "rank": "капитан"},
    "recipient": "«Ишеним» кризистик борбору",
    "services": ["shelter", "legal"],
    "child": False,
    "due_at": "2026-12-02T09:00:00+06:00",
    "sent_at": "2026-12-01T09:00:00+06:00",
    "answered_at": "2026-12-01T11:30:00+06:00",
    "closed_at": None,
    "updated_at": "2026-12-01T11:30:00+06:00",
    "reason": "",
    "external_ref": "ISH-2026-0042",
    "updates": [],
    "shared": ["contacts", "identity"],
    "withheld": ["whereabouts", "health", "case_facts"],
    "identity": {
        "last_name": "Асанова",
        "first_name": "Айжан",
        "patronymic": "",
        "last_name_latin": "Asanova",
        "first_name_latin": "Aizhan",
        "sex": "female",
        "date_of_birth": "1995-04-01",
        "approximate_age": None,
        "citizenship": "KG",
        "id_document_type": "паспорт",
        "id_document_number": "AN0000000",
        "legal_representatives": [],
    },
    "contacts": {"phone": "+996 700 00 00 00", "other_contacts": "", "legal_representatives": []},
}


def _error(description: str, detail: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer, description=description, examples=[OpenApiExample("Error", value={"detail": detail})]
    )


def _field_errors(*examples: tuple[str, dict]) -> OpenApiResponse:
    return OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Bad input: `{"field": ["message"]}` per field refused, or `{"detail": "…"}` for a malformed body.',
        examples=[OpenApiExample(name, value=value) for name, value in examples],
    )


UNAUTHENTICATED = _error(
    "No credentials, or an unusable API key", "The API key is unknown, revoked, expired or not active."
)
FORBIDDEN = _error("Signed-in session without a CSRF token", "CSRF Failed: CSRF token missing.")
NOT_FOUND = _error("Not in your inbox (or no such referral)", "Not found.")
CONFLICT = _error(
    "The referral's state does not allow this change",
    "This referral is “Declined” now: it cannot be changed that way. Reload the page.",
)
THROTTLED = _error(
    "Too many requests for this key: see Retry-After", "Request was throttled. Expected available in 12 seconds."
)
TOO_LARGE = _error(
    "The body is larger than the upload limit",
    f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
)
MALFORMED = ("Malformed JSON", {"detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"})
COMMON = {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 429: THROTTLED}
READ_ERRORS = {401: UNAUTHENTICATED, 404: NOT_FOUND, 429: THROTTLED}  # a GET needs no CSRF token


def _change_responses(description: str, *bad_input: tuple[str, dict], conflict: bool = True) -> dict:
    """The answers of a change: the new payload, 400 with the examples of bad input, 409 (a state the change cannot
    start from), 413 and the common errors."""
    return {
        200: _payload_response(description),
        400: _field_errors(*bad_input, MALFORMED),
        **({409: CONFLICT} if conflict else {}),
        413: TOO_LARGE,
        **COMMON,
    }


def _payload_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(
        ReferralPayloadSerializer,
        description=description,
        examples=[OpenApiExample("A referral with identity and contacts shared", value=PAYLOAD_EXAMPLE)],
    )


# -- the views --------------------------------------------------------------------------------------------------------
class ReferralListView(ListAPIView):
    """The caller's inbox: the referrals sent to its organisation (an API key) or to whom the user acts for."""

    permission_classes = [IsAuthenticated | HasOrganisationApiKey]
    serializer_class = ReferralSummarySerializer
    pagination_class = LimitOffsetPages

    @extend_schema(
        tags=[TAG],
        operation_id="referrals_list",
        summary="List the referrals sent to you, newest change first",
        description=(
            "Each item is the referral's own record, never the person's data: read the detail for that (the read is "
            "logged). Drafts are never listed. To keep your system in step, ask for `updated_since` the `updated_at` "
            "of the newest item you have seen, or follow the webhooks."
        ),
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="One state or a comma-separated list (or the parameter repeated): "
                "sent, accepted, declined, in_service, closed, withdrawn.",
                examples=[
                    OpenApiExample("Waiting for an answer", value="sent"),
                    OpenApiExample("Open", value="accepted,in_service"),
                ],
            ),
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                OpenApiParameter.QUERY,
                description="Only referrals changed at or after this time: ISO 8601 with its zone.",
                examples=[OpenApiExample("Since a moment", value="2026-12-01T09:00:00+06:00")],
            ),
            OpenApiParameter(
                "external_ref",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="Exactly your own reference, as stored with PATCH.",
                examples=[OpenApiExample("Your reference", value="ISH-2026-0042")],
            ),
        ],
        responses={
            200: OpenApiResponse(
                ReferralSummarySerializer(many=True),
                description="A page of the inbox.",
                examples=[OpenApiExample("A page", value=SUMMARY_EXAMPLE)],  # drf-spectacular wraps it in a page
            ),
            400: _field_errors(
                (
                    "Unknown status",
                    {
                        "status": [
                            "Unknown status: draft. Expected: sent, accepted, declined, in_service, closed, withdrawn."
                        ]
                    },
                ),
                (
                    "Time without a zone",
                    {
                        "updated_since": [
                            "Give an ISO 8601 date and time with its zone, as 2026-11-30T09:00:00+06:00 or ...Z."
                        ]
                    },
                ),
            ),
            **{code: COMMON[code] for code in (401, 429)},
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = self.request.query_params
        filters = ReferralFilterSerializer(
            data={
                key: ",".join(query.getlist(key)) if key == "status" else query[key]
                for key in ("status", "updated_since", "external_ref")
                if key in query
            }
        )
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        referrals = selectors.referral_inbox_of(reader=reader_from(self.request))
        if data.get("status"):
            referrals = referrals.filter(status__in=data["status"])
        if data.get("updated_since"):
            referrals = referrals.filter(updated_at__gte=data["updated_since"])
        if data.get("external_ref"):
            referrals = referrals.filter(external_ref=data["external_ref"])
        return referrals.order_by("-updated_at", "-pk")


class ReferralDetailView(APIView):
    """One referral of the caller's inbox: read it, or store your own reference on it."""

    permission_classes = [IsAuthenticated | HasOrganisationApiKey]

    @extend_schema(
        tags=[TAG],
        operation_id="referrals_retrieve",
        summary="Read a referral: what you may know of the person",
        description=(
            "The referral's own record, and each category of the person's data (`identity`, `contacts`, "
            "`whereabouts`, `health`, `case_facts`) only when your organisation's data-sharing agreement and the "
            "person's standing consent both cover it; `withheld` names the others. Every read that shows personal "
            "data is written to the access log, with your API key."
        ),
        parameters=[REFERRAL_ID],
        responses={200: _payload_response("What you may know of the referral."), **READ_ERRORS},
    )
    def get(self, request: Request, referral_id: str) -> Response:
        _, payload = selectors.referral_shown_to_recipient(reader=reader_from(request), referral_id=referral_id)
        return Response(payload)

    @extend_schema(
        tags=[TAG],
        operation_id="referrals_partial_update",
        summary="Store your own reference on a referral",
        description="Only `external_ref` can be changed (up to 100 characters; empty clears it). Kept in the history.",
        parameters=[REFERRAL_ID],
        request=ReferralChangeSerializer,
        examples=[OpenApiExample("Your reference", value={"external_ref": "ISH-2026-0042"}, request_only=True)],
        responses=_change_responses(
            "The referral with your reference.",
            ("Another field", {"status": ["Unknown or read-only field; the fields accepted here: external_ref."]}),
            ("Too long", {"external_ref": ["Ensure this field has no more than 100 characters."]}),
            conflict=False,
        ),
    )
    def patch(self, request: Request, referral_id: str) -> Response:
        return _changed(
            request, referral_id, ReferralChangeSerializer,
            lambda referral, data, **acting: services.referral_set_external_ref(
                referral=referral, external_ref=data["external_ref"], **acting
            ),
        )  # fmt: skip


class ReferralAcceptView(APIView):
    permission_classes = [IsAuthenticated | HasOrganisationApiKey]

    @extend_schema(
        tags=[TAG],
        operation_id="referrals_accept",
        summary="Accept a referral: you take the person on",
        description="From `sent` only; the case officer is told. An empty body or `{}`.",
        parameters=[REFERRAL_ID],
        request=AcceptSerializer,
        examples=[OpenApiExample("No fields", value={}, request_only=True)],
        responses=_change_responses(
            "The accepted referral.",
            ("A field", {"reason": ["Unknown or read-only field; the fields accepted here: none."]}),
        ),
    )
    def post(self, request: Request, referral_id: str) -> Response:
        return _changed(
            request, referral_id, AcceptSerializer,
            lambda referral, data, **acting: services.referral_accept(referral=referral, **acting),
        )  # fmt: skip


class ReferralDeclineView(APIView):
    permission_classes = [IsAuthenticated | HasOrganisationApiKey]

    @extend_schema(
        tags=[TAG],
        operation_id="referrals_decline",
        summary="Decline a referral, saying why",
        description="From `sent` only; the case officer is told, to refer the person elsewhere.",
        parameters=[REFERRAL_ID],
        request=DeclineSerializer,
        examples=[OpenApiExample("No place", value={"reason": "No place in the shelter until 15 December."},
                                 request_only=True)],
        responses=_change_responses("The declined referral.", ("No reason", {"reason": ["This field is required."]})),
    )  # fmt: skip
    def post(self, request: Request, referral_id: str) -> Response:
        return _changed(
            request, referral_id, DeclineSerializer,
            lambda referral, data, **acting: services.referral_decline(
                referral=referral, reason=data["reason"], **acting
            ),
        )  # fmt: skip


class ReferralUpdateView(APIView):
    permission_classes = [IsAuthenticated | HasOrganisationApiKey]

    @extend_schema(
        tags=[TAG],
        operation_id="referrals_updates_create",
        summary="Record a service given, a note, or close the referral",
        description=(
            "On an accepted referral (it is then in service) or one in service. `service` is a service code, `note` "
            "up to 500 characters, `given_on` a date from 1900-01-01 to today (default today); `close: true` ends it "
            "(with or without a service). The case officer is told."
        ),
        parameters=[REFERRAL_ID],
        request=ServiceUpdateInputSerializer,
        examples=[
            OpenApiExample("A service given", request_only=True,
                           value={"service": "shelter", "note": "Placed in the shelter.", "given_on": "2026-12-01"}),
            OpenApiExample("Services complete", value={"close": True}, request_only=True),
        ],
        responses=_change_responses(
            "The referral with the update.",
            ("Unknown service", {"service": ['"spa" is not a valid choice.']}),
            ("Date in the future", {"given_on": ["The date cannot be in the future."]}),
        ),
    )  # fmt: skip
    def post(self, request: Request, referral_id: str) -> Response:
        return _changed(
            request, referral_id, ServiceUpdateInputSerializer,
            lambda referral, data, **acting: services.referral_record_service(
                referral=referral, service=data.get("service", ""), note=data.get("note", ""),
                given_on=data.get("given_on"), close=data["close"], **acting,
            ),
        )  # fmt: skip
