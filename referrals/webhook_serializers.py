"""Input and output of the webhook-endpoint API: shapes only; the rules (URL, limits) are the services'."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

from accounts.validators import validate_no_hidden_characters

from .models import SUBSCRIBABLE_EVENTS, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .webhook_transport import MAX_URL_LENGTH


def _plain(value: str) -> str:
    try:
        validate_no_hidden_characters(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError("Remove the NUL byte or text-direction characters.") from exc
    return value


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=MAX_URL_LENGTH, trim_whitespace=False, validators=[_plain])
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE_EVENTS), allow_empty=False, max_length=20
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, validators=[_plain])


class WebhookEndpointUpdateSerializer(WebhookEndpointInputSerializer):
    active = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = [
            "id", "url", "event_types", "description", "active", "disabled_at", "disabled_reason",
            "previous_secret_expires_at", "created_at", "updated_at",
        ]  # fmt: skip


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="Shown this once: keep it to verify the signatures.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["attempted_at", "status_code", "error", "duration_ms", "succeeded", "retry_after_seconds"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="webhook_id", help_text="The `webhook-id` header of every attempt.")
    referral_id = serializers.UUIDField(allow_null=True)
    status = serializers.CharField(source="outbox_message.status")
    attempts = serializers.IntegerField(source="outbox_message.attempts")
    next_attempt_at = serializers.SerializerMethodField()
    last_error = serializers.CharField(source="outbox_message.last_error")
    delivered_at = serializers.DateTimeField(source="outbox_message.delivered_at", allow_null=True)
    attempt_log = WebhookAttemptSerializer(source="attempts", many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "event_type", "referral_id", "status", "attempts", "next_attempt_at", "last_error", "created_at",
            "delivered_at", "attempt_log",
        ]  # fmt: skip

    def get_next_attempt_at(self, delivery: WebhookDelivery) -> str | None:
        message = delivery.outbox_message
        if message.status != message.Status.PENDING:
            return None
        return serializers.DateTimeField().to_representation(message.next_attempt_at)


class WebhookTestQueuedSerializer(serializers.Serializer):
    delivery_id = serializers.CharField(help_text="The `webhook-id` of the test event.")
    status = serializers.CharField()


class WebhookSecretRotatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    secret = serializers.CharField(help_text="The new secret, shown this once.")
    previous_secret_expires_at = serializers.DateTimeField(help_text="Until then the old secret also signs.")


ENDPOINT_EXAMPLE = {
    "id": "6f1c2b9e-3d7a-4f6e-9a51-0c2d4e8b7a10",
    "url": "https://cases.example.org/hooks/cms",
    "event_types": ["referral.created", "referral.updated", "referral.withdrawn"],
    "description": "Our case system",
    "active": True,
    "disabled_at": None,
    "disabled_reason": "",
    "previous_secret_expires_at": None,
    "created_at": "2026-11-30T09:15:00Z",
    "updated_at": "2026-11-30T09:15:00Z",
}
EXAMPLES = {
    "create": [
        OpenApiExample(
            "Register an endpoint",
            request_only=True,
            value={
                "url": "https://cases.example.org/hooks/cms",
                "event_types": ["referral.created", "referral.updated"],
                "description": "Our case system",
            },
        ),
        OpenApiExample(
            "Registered (the secret is shown this once)",
            response_only=True,
            status_codes=["201"],
            value={**ENDPOINT_EXAMPLE, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
        ),
    ],
    "endpoint": [OpenApiExample("An endpoint", response_only=True, value=ENDPOINT_EXAMPLE)],
    "list": [OpenApiExample("The organisation's endpoints", response_only=True, value=[ENDPOINT_EXAMPLE])],
    "update": [
        OpenApiExample("Subscribe to every event", request_only=True, value={"event_types": list(SUBSCRIBABLE_EVENTS)}),
        OpenApiExample("Enable a disabled endpoint again", request_only=True, value={"active": True}),
    ],
    "test": [
        OpenApiExample(
            "Test event queued",
            response_only=True,
            status_codes=["202"],
            value={"delivery_id": "msg_2b4f0e8c9d1a4c7e8f6a5b3c2d1e0f9a", "status": "pending"},
        )
    ],
    "rotate": [
        OpenApiExample(
            "New secret",
            response_only=True,
            value={
                "id": ENDPOINT_EXAMPLE["id"],
                "secret": "whsec_pYk3Zb2a0m9QvH1c7L5xWn8Rt4Eo6Ud2",
                "previous_secret_expires_at": "2026-12-01T09:15:00Z",
            },
        )
    ],
    "deliveries": [
        OpenApiExample(
            "A page of deliveries",
            response_only=True,
            value={
                "count": 1,
                "next": None,
                "previous": None,
                "results": [
                    {
                        "id": "msg_2b4f0e8c9d1a4c7e8f6a5b3c2d1e0f9a",
                        "event_type": "referral.updated",
                        "referral_id": "0b8e7c1d-52a4-4b1f-9a0e-7d6c5b4a3f21",
                        "status": "pending",
                        "attempts": 1,
                        "next_attempt_at": "2026-11-30T09:20:05Z",
                        "last_error": "HTTP 503",
                        "created_at": "2026-11-30T09:15:00Z",
                        "delivered_at": None,
                        "attempt_log": [
                            {
                                "attempted_at": "2026-11-30T09:15:01Z",
                                "status_code": 503,
                                "error": "HTTP 503",
                                "duration_ms": 87,
                                "succeeded": False,
                                "retry_after_seconds": 300,
                            }
                        ],
                    }
                ],
            },
        )
    ],
}
