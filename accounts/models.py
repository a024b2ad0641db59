"""Organisational units, users, in-app notifications and the transactional outbox."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager
from simple_history.models import HistoricalRecords

from .history import name_in_language
from .roles import Role
from .validators import PLAIN_TEXT


class Unit(models.Model):
    """A police unit: the ministry, an oblast or city department, or a district department (ОВД/ИИБ)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        OBLAST = "oblast", _("Oblast department")
        CITY = "city", _("City department")
        DISTRICT = "district", _("District department")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Kyrgyz)"), max_length=200, validators=PLAIN_TEXT)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True, validators=PLAIN_TEXT)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, validators=PLAIN_TEXT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of primary keys ("1/4/9/"): the descendants of a unit are a prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        """Keep the materialised path (an invariant of the tree) in step with the parent."""
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        new_path = f"{parent_path}{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path) :])
            self.path = new_path

    def clean(self) -> None:
        """Refuse a parent that is the unit itself or below it: the tree would become a cycle."""
        super().clean()
        if self.pk and self.parent_id:
            own_path = Unit.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
            if own_path and parent_path.startswith(own_path):
                raise ValidationError(
                    {"parent": _("A unit cannot be placed below itself or below one of its own units.")}
                )

    @property
    def display_name(self) -> str:
        """Name in the active language, falling back to Kyrgyz."""
        return name_in_language(ky=self.name, ru=self.name_ru, en=self.name_en, language=get_language())

    @property
    def path_ids(self) -> list[int]:
        """The primary keys of this unit and of every unit above it, from the top."""
        return [int(pk) for pk in self.path.strip("/").split("/") if pk]

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1 if self.path else 0

    def descendants_and_self(self) -> models.QuerySet["Unit"]:
        """Return this unit and every unit below it."""
        return Unit.objects.filter(path__startswith=self.path)


class Organisation(models.Model):
    """An organisation outside the police that receives referrals: NGO, crisis centre, state service."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        CRISIS_CENTRE = "crisis_centre", _("Crisis centre")
        SOCIAL_PROTECTION = "social_protection", _("Social-protection body")
        CHILD_PROTECTION = "child_protection", _("Child-protection body")
        HEALTH = "health", _("Health organisation")
        PSYCHOLOGIST = "psychologist", _("Psychologist")

    name = models.CharField(_("name"), max_length=200, unique=True, validators=PLAIN_TEXT)
    # A short stable identifier for other systems and for the demo's credentials file ("demo-ngo-a").
    code = models.SlugField(_("code"), max_length=60, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationApiKeyManager(APIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        """Keys that are not revoked and belong to an active organisation (expiry is checked by the caller)."""
        return (
            super()
            .get_usable_keys()
            .filter(organisation__isnull=False, organisation__active=True)
            .select_related("organisation")
        )


class ApiKey(AbstractAPIKey):
    """A hashed API key of one organisation; revocable. The key itself is shown once, when created.

    A usable key always has an organisation (a database constraint); keys stored without one were revoked.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=False, on_delete=models.CASCADE,
        related_name="api_keys",
    )  # fmt: skip

    objects = OrganisationApiKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(revoked=True),
                name="api_key_usable_has_organisation",
            ),
        ]


class User(AbstractUser):
    """A police officer, analyst, hotline operator or NGO worker; belongs to exactly one unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # Redeclared from AbstractUser to refuse hidden characters: officers' names are shown on every case page.
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=PLAIN_TEXT)
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=PLAIN_TEXT)
    position = models.CharField(_("position"), max_length=200, blank=True, validators=PLAIN_TEXT)
    rank = models.CharField(_("special rank"), max_length=100, blank=True, validators=PLAIN_TEXT)
    # The same in Russian, for the documents and pages read in Russian (the rapport's addressee and signatures).
    position_ru = models.CharField(_("position (Russian)"), max_length=200, blank=True, validators=PLAIN_TEXT)
    rank_ru = models.CharField(_("special rank (Russian)"), max_length=100, blank=True, validators=PLAIN_TEXT)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation (NGO staff)"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff", help_text=_("Only for NGO staff."),
    )  # fmt: skip
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def role_names(self) -> set[str]:
        """Return the role codes of this user (cached per instance)."""
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, *roles: Role | str) -> bool:
        return bool(self.role_names() & {str(r) for r in roles})

    @property
    def position_display(self) -> str:
        """The position in the active language (Russian where given, else as entered)."""
        return name_in_language(ky=self.position, ru=self.position_ru, en="", language=get_language())

    @property
    def rank_display(self) -> str:
        """The special rank in the active language (Russian where given, else as entered)."""
        return name_in_language(ky=self.rank, ru=self.rank_ru, en="", language=get_language())

    @property
    def primary_role(self) -> str:
        for role in Role:
            if role in self.role_names():
                return role.label
        return ""


class Notification(models.Model):
    """An in-app message to one user, delivered from the outbox."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=50)
    # Only ids and codes; the text is rendered in the reader's language when shown.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    outbox_message = models.OneToOneField(
        "OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kind


class OutboxMessage(models.Model):
    """A side effect written in the same transaction as the change that causes it; a relay delivers it once."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In-app")
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=50)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Claims by the relay since the last recorded attempt: a row claimed again and again with nothing recorded (its
    # delivery dies before it can record anything) is given up instead of being claimed for ever.
    claims_since_attempt = models.PositiveIntegerField(_("claims since the last attempt"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.channel}, {self.status})"
