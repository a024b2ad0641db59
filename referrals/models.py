"""The referral mechanism: the recipients directory, consent per recipient and data category, referrals and their
service updates, and the calls of the 1899 hotline desk (ARCHITECTURE §5, DOMAIN §6–9)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.fields import EncryptedCharField
from accounts.history import name_in_language
from accounts.validators import PLAIN_TEXT, PLAUSIBLE_DATE


class Category(models.TextChoices):
    """The kinds of a victim's data a recipient may receive (ARCHITECTURE §5)."""

    IDENTITY = "identity", _("Identity (name, sex, date of birth, citizenship, identity document)")
    CONTACTS = "contacts", _("Contacts (phone and other contacts)")
    WHEREABOUTS = "whereabouts", _("Whereabouts (place of residence and where the person stays)")
    HEALTH = "health", _("Health (needs for medical help, the 72 hours after sexual violence)")
    CASE_FACTS = "case_facts", _("Case facts (circumstances, place and time, purpose of exploitation)")


CATEGORIES = tuple(Category.values)


class Service(models.TextChoices):
    """Services a recipient offers and a referral asks for."""

    SHELTER = "shelter", _("Shelter, temporary accommodation")
    MEDICAL = "medical", _("Medical help")
    PSYCHOLOGICAL = "psychological", _("Psychological help")
    LEGAL = "legal", _("Legal help")
    SOCIAL = "social", _("Social support")
    CHILD_CARE = "child_care", _("Specialised help for children")
    REINTEGRATION = "reintegration", _("Return and reintegration")
    INVESTIGATION = "investigation", _("Police action")


class Recipient(models.Model):
    """An entry of the directory: an organisation that receives referrals, or a police unit that does."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        CRISIS_CENTRE = "crisis_centre", _("Crisis centre")
        SOCIAL_PROTECTION = "social_protection", _("Social-protection body")
        CHILD_PROTECTION = "child_protection", _("Child-protection body")
        HEALTH = "health", _("Health organisation")
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        DUTY_UNIT = "duty_unit", _("Duty unit")
        KIB = "kib", _("Criminal investigation department (КИБ)")
        INTL_COOPERATION = "intl_cooperation", _("MVD International Cooperation Directorate")
        HOTLINE_DESK = "hotline_desk", _("1899 hotline desk")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # An organisation outside the police (its staff and API keys act for it), or a police unit.
    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="recipient",
    )  # fmt: skip
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("police unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="recipients",
    )  # fmt: skip
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True, validators=PLAIN_TEXT)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, validators=PLAIN_TEXT)
    # The oblast or city it serves; none: the whole country.
    region = models.ForeignKey(
        "accounts.Unit", verbose_name=_("region served"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty: the whole country."),
    )  # fmt: skip
    services = models.JSONField(_("services offered"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True, validators=PLAIN_TEXT)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True, validators=PLAIN_TEXT)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True, validators=PLAIN_TEXT)
    active = models.BooleanField(_("active"), default=True)
    # The data-sharing agreement under the referral mechanism: the categories it may receive at all.
    agreement_categories = models.JSONField(_("categories the agreement allows"), default=list, blank=True)
    agreement_reference = models.CharField(
        _("data-sharing agreement"), max_length=100, blank=True, validators=PLAIN_TEXT,
        help_text=_("Number and date of the agreement."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(organisation__isnull=False) & models.Q(unit__isnull=True))
                | (models.Q(organisation__isnull=True) & models.Q(unit__isnull=False)),
                name="recipient_organisation_or_unit",
            ),
            models.UniqueConstraint(fields=["unit", "kind"], name="recipient_once_per_unit_and_kind"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_internal(self) -> bool:
        """A police unit: information reaches the police without consent (DOMAIN §9 "Children")."""
        return self.unit_id is not None

    @property
    def display_name(self) -> str:
        if self.organisation_id:
            from django.utils.translation import get_language

            return name_in_language(
                ky=self.organisation.name, ru=self.name_ru, en=self.name_en, language=get_language()
            )
        return f"{self.get_kind_display()}: {self.unit.display_name}"


def serving(unit) -> models.Q:
    """Directory entries that serve a unit: those of its region or a region above it, and the nationwide ones."""
    return models.Q(region_id__in=unit.path_ids) | models.Q(region__isnull=True)


class Consent(models.Model):
    """The victim's informed decision to let one recipient have one category of data; withdrawable.

    A child decides through the legal representative, or through the child-protection body when the representatives
    are suspects in the case (DOMAIN §9).
    """

    class Decision(models.TextChoices):
        GIVEN = "given", _("Agrees")
        REFUSED = "refused", _("Refuses")

    class GivenBy(models.TextChoices):
        VICTIM = "victim", _("The person")
        LEGAL_REPRESENTATIVE = "legal_representative", _("The legal representative")
        CHILD_PROTECTION_BODY = "child_protection_body", _("The child-protection body")

    class Informed(models.TextChoices):
        ORALLY = "orally", _("Told orally what is shared and with whom")
        WRITTEN = "written", _("Read a written notice of what is shared and with whom")
        INTERPRETER = "interpreter", _("Told through an interpreter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    victim = models.ForeignKey(
        "cases.Victim", verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="consents"
    )
    category = models.CharField(_("data"), max_length=20, choices=Category.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    given_by = models.CharField(_("decided by"), max_length=30, choices=GivenBy.choices)
    representative = models.ForeignKey(
        "cases.LegalRepresentative", verbose_name=_("legal representative"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="consents",
    )  # fmt: skip
    informed_how = models.CharField(_("how the person was informed"), max_length=20, choices=Informed.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now, validators=PLAUSIBLE_DATE)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("withdrawal recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    withdrawal_note = models.CharField(_("withdrawal"), max_length=300, blank=True, validators=PLAIN_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["recipient_id", "category", "-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["victim", "recipient", "category"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_standing_per_category",
            ),
            models.CheckConstraint(
                condition=models.Q(given_by="legal_representative", representative__isnull=False)
                | ~models.Q(given_by="legal_representative"),
                name="consent_representative_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.decision}"


class Referral(models.Model):
    """A victim referred from a case to a recipient; its state moves only through referrals.services."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("referral status", "Draft")
        SENT = "sent", pgettext_lazy("referral status", "Sent")
        ACCEPTED = "accepted", pgettext_lazy("referral status", "Accepted")
        DECLINED = "declined", pgettext_lazy("referral status", "Declined")
        IN_SERVICE = "in_service", pgettext_lazy("referral status", "Receiving services")
        CLOSED = "closed", pgettext_lazy("referral status", "Closed")
        WITHDRAWN = "withdrawn", pgettext_lazy("referral status", "Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals")
    victim = models.ForeignKey(
        "cases.Victim", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="referrals",
    )  # fmt: skip
    recipient = models.ForeignKey(
        Recipient, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # The routing rule that drafted it (screening.obligations.ROUTES), or "" when an officer made it by hand.
    rule = models.CharField(_("routing rule"), max_length=50, blank=True)
    obligation = models.ForeignKey(
        "screening.Obligation", verbose_name=_("due item"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="referrals",
    )  # fmt: skip
    services = models.JSONField(_("services asked for"), default=list, blank=True)
    # What the recipient should know to help: case facts, shared only when consent and agreement cover them.
    message = models.TextField(_("message to the recipient"), blank=True, validators=PLAIN_TEXT)
    health_needs = EncryptedCharField(  # encrypted at rest (accounts.fields)
        _("health needs"), max_length=300, blank=True, validators=PLAIN_TEXT,
        help_text=_("Shared only with consent to health data."),
    )  # fmt: skip
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The last reason given: why it was declined, withdrawn or reopened (each kept in the history).
    reason = models.CharField(_("reason"), max_length=500, blank=True, validators=PLAIN_TEXT)
    # The recipient's own reference for it, so that its system can map records (set by the recipient).
    external_ref = models.CharField(_("recipient's reference"), max_length=100, blank=True, validators=PLAIN_TEXT)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "status", "-updated_at"], name="referral_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.status})"


class ServiceUpdate(models.Model):
    """What the recipient did for the person: a service given, or a note; appended, never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="updates")
    service = models.CharField(_("service"), max_length=20, choices=Service.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True, validators=PLAIN_TEXT)
    given_on = models.DateField(_("given on"), default=timezone.localdate, validators=PLAUSIBLE_DATE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_via_api = models.BooleanField(_("recorded through the API"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service update")
        verbose_name_plural = _("service updates")
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return self.service or "note"


class HotlineCall(models.Model):
    """A call to the 1899 line, passed to a district's duty unit as an incoming report (a case)."""

    class Urgency(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate: danger now")
        URGENT = "urgent", _("Urgent: within the hour")
        NORMAL = "normal", _("Normal")

    class Caller(models.TextChoices):
        VICTIM = "victim", _("The person concerned")
        RELATIVE = "relative", _("A relative")
        WITNESS = "witness", _("A witness or neighbour")
        ORGANISATION = "organisation", _("An organisation")
        ANONYMOUS = "anonymous", _("Did not give a name")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="hotline_calls"
    )
    received_at = models.DateTimeField(_("call received at"), default=timezone.now, validators=PLAUSIBLE_DATE)
    caller = models.CharField(_("who called"), max_length=20, choices=Caller.choices)
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True, validators=PLAIN_TEXT)
    caller_phone = EncryptedCharField(_("caller's phone"), max_length=40, blank=True, validators=PLAIN_TEXT)
    callback_consent = models.BooleanField(_("the caller agrees to be called back"), default=False)
    summary = models.TextField(_("what the caller said"), validators=PLAIN_TEXT)
    place = models.CharField(_("place"), max_length=300, blank=True, validators=PLAIN_TEXT)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices)
    district = models.ForeignKey(
        "accounts.Unit", verbose_name=_("district department"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("incoming report"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="hotline_call",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("call closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("1899 call")
        verbose_name_plural = _("1899 calls")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"1899 {self.received_at:%Y-%m-%d %H:%M}"


def rights_sheet_path(instance: "RightsSheet", filename: str) -> str:
    """Store a sheet under a random name, by case (the case number is not in the path)."""
    return f"rights_sheets/{instance.case_id}/{instance.id}.pdf"


class RightsSheet(models.Model):
    """The rights and contacts sheet the officer hands to the person or the legal representative (DOMAIN §7 step 3,
    §9 "Information"): a one-page PDF in Kyrgyz or Russian, rendered by a Celery task and kept with its SHA-256."""

    class Language(models.TextChoices):
        KY = "ky", _("Kyrgyz")
        RU = "ru", _("Russian")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("rights sheet status", "Being made")
        READY = "ready", pgettext_lazy("rights sheet status", "Ready")
        FAILED = "failed", pgettext_lazy("rights sheet status", "Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="rights_sheets"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to=rights_sheet_path, blank=True, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rights and contacts sheet")
        verbose_name_plural = _("rights and contacts sheets")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (~models.Q(file="") & ~models.Q(sha256="")),
                name="rights_sheet_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.created_at:%Y-%m-%d %H:%M}"


class WebhookEvent(models.TextChoices):
    """What an organisation's endpoint may subscribe to (and the test event, sent on request)."""

    REFERRAL_CREATED = "referral.created", _("A referral was sent to the organisation")
    REFERRAL_UPDATED = "referral.updated", _("A referral changed")
    REFERRAL_WITHDRAWN = "referral.withdrawn", _("A referral was withdrawn")
    TEST = "webhook.test", _("Test event")


# The events an endpoint may subscribe to; webhook.test is sent when asked for, whatever the subscription.
SUBSCRIBABLE_EVENTS = (
    WebhookEvent.REFERRAL_CREATED.value,
    WebhookEvent.REFERRAL_UPDATED.value,
    WebhookEvent.REFERRAL_WITHDRAWN.value,
)


class DisabledReason(models.TextChoices):
    """Why an endpoint is no longer sent to (a code in the API, a text in the reader's language on the page)."""

    GONE = "gone", _("The endpoint answered 410 Gone: it wants no more deliveries.")
    TURNED_OFF = "turned_off", _("Turned off by the organisation.")
    REMOVED = "removed", _("Removed by the organisation.")


class WebhookEndpoint(models.Model):
    """A URL of an organisation's own system that receives signed events about the referrals sent to it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )  # fmt: skip
    url = models.CharField(_("URL"), max_length=500, validators=PLAIN_TEXT)
    event_types = models.JSONField(_("events"), default=list)
    # `whsec_` + base64 of 24 random bytes (Standard Webhooks); shown once, never in the history or the admin.
    secret = models.CharField(max_length=100, editable=False)
    # The secret before the last rotation, which also signs until it expires (the receiver switches meanwhile).
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(_("previous secret signs until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True, validators=PLAIN_TEXT)
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(
        _("why it was disabled"), max_length=20, blank=True, choices=DisabledReason.choices
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["secret", "previous_secret"])

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"webhook endpoint {self.pk}"


class WebhookDelivery(models.Model):
    """One event for one endpoint; its state (status, attempts, next attempt, last error) is its outbox row's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    outbox_message = models.OneToOneField(
        "accounts.OutboxMessage", on_delete=models.CASCADE, related_name="webhook_delivery"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(_("event"), max_length=50, choices=WebhookEvent.choices)
    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.webhook_id

    @property
    def webhook_id(self) -> str:
        """The `webhook-id` header: the same for every attempt, so that the receiver drops a copy it has seen."""
        return f"msg_{self.pk.hex}"


class WebhookAttempt(models.Model):
    """One attempt to deliver an event: appended in the transaction that records the outcome, never changed."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempts"
    )
    attempted_at = models.DateTimeField(_("attempted at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    # The failure's class name or "HTTP 503"; never the URL or the response body.
    error = models.CharField(_("error"), max_length=100, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    retry_after_seconds = models.PositiveIntegerField(_("Retry-After (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
