"""Input and output of the NGO referral API (ARCHITECTURE §6): validation of what a caller sends, and the shapes the
OpenAPI schema documents. What a recipient sees of a referral is built by referrals.sharing.referral_payload alone;
the payload serializers here only describe it."""

from datetime import UTC

from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.validators import HIDDEN_CHARACTERS, PLAIN_TEXT, PLAUSIBLE_DATE
from cases.reasons import REASON_MAX_LENGTH

from .models import CATEGORIES, Referral, Service

# The states a recipient sees (a draft is the police's own until it is sent).
RECIPIENT_STATUSES = [value for value in Referral.Status.values if value != Referral.Status.DRAFT]
EXTERNAL_REF_MAX_LENGTH = Referral._meta.get_field("external_ref").max_length
NOTE_MAX_LENGTH = 500


class StrictSerializer(serializers.Serializer):
    """A JSON object with only the fields declared: any other key is refused by name (a typo must not pass silently)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                allowed = ", ".join(self.fields) or "none"
                raise serializers.ValidationError(
                    {key: [f"Unknown or read-only field; the fields accepted here: {allowed}."] for key in unknown}
                )
        return super().to_internal_value(data)


# -- input ------------------------------------------------------------------------------------------------------------
class ReferralChangeSerializer(StrictSerializer):
    """PATCH: the recipient's own reference, the only field a recipient changes directly."""

    external_ref = serializers.CharField(
        max_length=EXTERNAL_REF_MAX_LENGTH, allow_blank=True, validators=PLAIN_TEXT,
        help_text="Your system's reference for this referral (empty to clear it); filter the list by it.",
    )  # fmt: skip


class AcceptSerializer(StrictSerializer):
    """Accept: no fields (an empty body or `{}`)."""


class DeclineSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, validators=PLAIN_TEXT,
        help_text="Why the person cannot be taken on; the case officer reads it, to refer the person elsewhere.",
    )  # fmt: skip


class ServiceUpdateInputSerializer(StrictSerializer):
    """A service given (an accepted referral is then in service), a note, or both; `close` ends the referral."""

    service = serializers.ChoiceField(choices=Service.choices, required=False, allow_blank=True)
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, validators=PLAIN_TEXT)
    given_on = serializers.DateField(
        required=False, validators=PLAUSIBLE_DATE, help_text="From 1900-01-01 to today (Asia/Bishkek); default today."
    )
    close = serializers.BooleanField(required=False, default=False, help_text="Services are complete: close it.")

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("service") and not attrs.get("note") and not attrs.get("close"):
            raise serializers.ValidationError({"service": ["Give the service given, a note, or close: true."]})
        return attrs


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date and time with its zone (`Z` or `+06:00`): a time without a zone is ambiguous."""

    default_error_messages = {
        "invalid": "Give an ISO 8601 date and time with its zone, as 2026-11-30T09:00:00+06:00 or ...Z.",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str) or any(character in HIDDEN_CHARACTERS for character in value):
            self.fail("invalid")  # Django's parser would read past a NUL byte at the end
        try:
            parsed = parse_datetime(value)
        except ValueError:  # well-formed but impossible, as 2026-02-30
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.fail("invalid")
        try:
            # ISO 8601 allows offsets up to ±24 h, PostgreSQL only ±15:59: the same instant in UTC suits both
            return parsed.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+06:00 is before year 1 in UTC
            self.fail("invalid")


class ReferralFilterSerializer(serializers.Serializer):
    """The list's filters, read from the query string."""

    status = serializers.CharField(required=False, allow_blank=True)
    updated_since = AwareDateTimeField(required=False, validators=PLAUSIBLE_DATE)
    external_ref = serializers.CharField(
        required=False, allow_blank=True, max_length=EXTERNAL_REF_MAX_LENGTH, validators=PLAIN_TEXT
    )

    def validate_status(self, value: str) -> list[str]:
        statuses = [part.strip() for part in value.split(",") if part.strip()]
        if unknown := [status for status in statuses if status not in RECIPIENT_STATUSES]:
            raise serializers.ValidationError(
                f"Unknown status: {', '.join(sorted(set(unknown)))}. Expected: {', '.join(RECIPIENT_STATUSES)}."
            )
        return statuses


# -- output -----------------------------------------------------------------------------------------------------------
class ReferralSummarySerializer(serializers.Serializer):
    """A referral in the list: its own record only, never the person's data (read the detail for that)."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=RECIPIENT_STATUSES)
    case_number = serializers.CharField(source="case.number")
    recipient = serializers.CharField(source="recipient.display_name")
    services = serializers.ListField(child=serializers.ChoiceField(choices=Service.choices))
    due_at = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    external_ref = serializers.CharField()
    child = serializers.SerializerMethodField(help_text="Whether the person is a child (null: no person named).")

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_child(self, referral: Referral) -> bool | None:
        return referral.victim.is_child if referral.victim_id is not None else None


class OfficerSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField()
    rank = serializers.CharField()


class ServiceUpdateSerializer(serializers.Serializer):
    service = serializers.CharField(help_text="A service code, or empty for a note only.")
    note = serializers.CharField()
    given_on = serializers.DateField()


class RepresentativeSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    relation = serializers.CharField(required=False)
    may_act = serializers.BooleanField(required=False)
    phone = serializers.CharField(required=False)
    address = serializers.CharField(required=False)


class IdentitySerializer(serializers.Serializer):
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    patronymic = serializers.CharField()
    last_name_latin = serializers.CharField()
    first_name_latin = serializers.CharField()
    sex = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    approximate_age = serializers.IntegerField(allow_null=True)
    citizenship = serializers.CharField()
    id_document_type = serializers.CharField()
    id_document_number = serializers.CharField()
    legal_representatives = RepresentativeSerializer(many=True)


class ContactsSerializer(serializers.Serializer):
    phone = serializers.CharField()
    other_contacts = serializers.CharField()
    legal_representatives = RepresentativeSerializer(many=True, help_text="Only those who may act for a child.")


class WhereaboutsSerializer(serializers.Serializer):
    residence_address = serializers.CharField()
    temporary_residence_address = serializers.CharField()
    legal_representatives = RepresentativeSerializer(many=True, help_text="Only those who may act for a child.")


class HealthSerializer(serializers.Serializer):
    health_needs = serializers.CharField()
    sexual_violence = serializers.BooleanField()
    prevention_window_ends_at = serializers.DateTimeField(
        allow_null=True, help_text="72 hours after the incident, when a child suffered sexual violence."
    )


class CaseFactsSerializer(serializers.Serializer):
    message = serializers.CharField()
    incident_at = serializers.DateTimeField(allow_null=True)
    incident_place = serializers.CharField()
    circumstances = serializers.CharField()
    articles = serializers.ListField(child=serializers.CharField())
    purposes = serializers.ListField(child=serializers.CharField())


class ReferralPayloadSerializer(serializers.Serializer):
    """What a recipient may know of a referral (referrals.sharing.referral_payload): the referral's own record always;
    each category of the person's data only when the data-sharing agreement and the person's standing consent both
    cover it (`shared`); `withheld` names the others."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=RECIPIENT_STATUSES)
    case_number = serializers.CharField()
    unit = serializers.CharField(help_text="The police unit that refers the person.")
    officer = OfficerSerializer()
    recipient = serializers.CharField()
    services = serializers.ListField(child=serializers.ChoiceField(choices=Service.choices))
    child = serializers.BooleanField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    reason = serializers.CharField(help_text="The last reason given: why it was declined, withdrawn or reopened.")
    external_ref = serializers.CharField()
    updates = ServiceUpdateSerializer(many=True)
    shared = serializers.ListField(child=serializers.ChoiceField(choices=CATEGORIES))
    withheld = serializers.ListField(child=serializers.ChoiceField(choices=CATEGORIES))
    identity = IdentitySerializer(required=False)
    contacts = ContactsSerializer(required=False)
    whereabouts = WhereaboutsSerializer(required=False)
    health = HealthSerializer(required=False)
    case_facts = CaseFactsSerializer(required=False)


class ErrorSerializer(serializers.Serializer):
    """An error: `detail` says what is wrong (bad input on a field is answered as `{"field": ["…"]}` instead)."""

    detail = serializers.CharField()
