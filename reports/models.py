"""The rapport (*рапорт*): the officer's report to the head of department that registers the crime in the Unified
Register of Crimes (КБР), with the seven items the materials recognising a victim must contain (DOMAIN §8), and the
PDFs made of it (ARCHITECTURE §7)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.fields import EncryptedTextField
from accounts.validators import PLAIN_TEXT, PLAUSIBLE_DATE


class RapportItem(models.TextChoices):
    """The seven items of DOMAIN §8, in the handbook's order (L845-870, L1034-1058). Each is a text field of the rapport
    named by its code, with a `<code>_unknown` flag beside it: an item is either filled or explicitly marked unknown."""

    CIRCUMSTANCES = "circumstances", _("Place, time and circumstances of the crime")
    OFFENDERS = (
        "offenders",
        _("The offender's appearance and identifying data, where they may live, stay or hide, whether armed"),
    )
    TRACES = "traces", _("Traces of the crime on the victim's body or clothes")
    SITES = "sites", _("Location of the exploitation sites and other possible victims there")
    IDENTITY = (
        "identity",
        _("Identifying data of the victim, close relatives, or people with information about the victim"),
    )
    INDICATORS = "indicators", _("Results of the assessment against the trafficking indicators")
    CONSEQUENCES = "consequences", _("Consequences of the crime")


RAPPORT_ITEMS: tuple[str, ...] = tuple(RapportItem.values)


class Rapport(models.Model):
    """One rapport per case: draft → submitted → approved (by the head) → registered (КБР number and date entered).

    The head may return a submitted rapport to draft with a reason. The qualification is a snapshot of the latest
    screening, taken when the draft is saved and frozen at submission, so the approved text is the text printed.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("rapport status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("rapport status", "Submitted to the head")
        APPROVED = "approved", pgettext_lazy("rapport status", "Approved")
        REGISTERED = "registered", pgettext_lazy("rapport status", "Registered in the КБР")

    class Language(models.TextChoices):
        KY = "ky", _("Kyrgyz")
        RU = "ru", _("Russian")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="rapport")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(_("language of the document"), max_length=2, choices=Language.choices, default="ky")

    # The seven items (DOMAIN §8): each a text, or marked unknown.
    circumstances = models.TextField(RapportItem.CIRCUMSTANCES.label, blank=True, validators=PLAIN_TEXT)
    circumstances_unknown = models.BooleanField(_("not known"), default=False)
    # Encrypted at rest (accounts.fields): the offenders' whereabouts, the traces on the victim's body, the victim's
    # identifying data and the consequences (health) are the items that carry the most sensitive personal data.
    offenders = EncryptedTextField(RapportItem.OFFENDERS.label, blank=True, validators=PLAIN_TEXT)
    offenders_unknown = models.BooleanField(_("not known"), default=False)
    traces = EncryptedTextField(RapportItem.TRACES.label, blank=True, validators=PLAIN_TEXT)
    traces_unknown = models.BooleanField(_("not known"), default=False)
    sites = models.TextField(RapportItem.SITES.label, blank=True, validators=PLAIN_TEXT)
    sites_unknown = models.BooleanField(_("not known"), default=False)
    identity = EncryptedTextField(RapportItem.IDENTITY.label, blank=True, validators=PLAIN_TEXT)
    identity_unknown = models.BooleanField(_("not known"), default=False)
    indicators = models.TextField(RapportItem.INDICATORS.label, blank=True, validators=PLAIN_TEXT)
    indicators_unknown = models.BooleanField(_("not known"), default=False)
    consequences = EncryptedTextField(RapportItem.CONSEQUENCES.label, blank=True, validators=PLAIN_TEXT)
    consequences_unknown = models.BooleanField(_("not known"), default=False)

    # The qualification: the latest screening's, as a snapshot (articles and the explanation in both languages).
    screening = models.ForeignKey(
        "screening.Screening",
        verbose_name=_("screening"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    qualification_verdict = models.CharField(_("verdict"), max_length=40, blank=True)
    qualification_articles = models.JSONField(_("articles"), default=list, blank=True)
    qualification_explanation = models.JSONField(_("explanation of the qualification"), default=dict, blank=True)

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    addressee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("addressee (head of department)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rapport_date = models.DateField(_("date of the rapport"), validators=PLAUSIBLE_DATE)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_reason = models.TextField(_("reason for returning"), blank=True, validators=PLAIN_TEXT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kbr_number = models.CharField(_("КБР registration number"), max_length=60, blank=True, validators=PLAIN_TEXT)
    kbr_registered_at = models.DateField(_("КБР registration date"), null=True, blank=True, validators=PLAUSIBLE_DATE)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapports")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["unit", "status"], name="rapport_unit_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="registered")
                | (~models.Q(kbr_number="") & models.Q(kbr_registered_at__isnull=False)),
                name="rapport_registered_has_kbr_number",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="rapport_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted"]) | models.Q(approved_at__isnull=False),
                name="rapport_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"

    def item_missing(self) -> list[str]:
        """The codes of the items neither filled nor marked unknown (a rapport with any cannot be submitted)."""
        return [
            code for code in RAPPORT_ITEMS if not getattr(self, code).strip() and not getattr(self, f"{code}_unknown")
        ]


def rapport_pdf_path(instance: RapportPdf, filename: str) -> str:
    """Store a PDF under a random name, by case (the case number is not in the path)."""
    return f"rapports/{instance.rapport.case_id}/{instance.id}.pdf"


class RapportPdf(models.Model):
    """A PDF of a rapport in one language, rendered by a Celery task with WeasyPrint and kept with its SHA-256.

    `content_hash` is the SHA-256 of what the document says (the rendered HTML): a request for a PDF whose content has
    not changed is answered with the one made before, not rendered again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("document status", "Being made")
        READY = "ready", pgettext_lazy("document status", "Ready")
        FAILED = "failed", pgettext_lazy("document status", "Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rapport = models.ForeignKey(Rapport, verbose_name=_("rapport"), on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(_("language"), max_length=2, choices=Rapport.Language.choices)
    content_hash = models.CharField(_("content fingerprint"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to=rapport_pdf_path, blank=True, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    # Printed at the foot of every page: the first characters of the SHA-256 of the PDF as rendered without it (the
    # stored file, with the code stamped in, has `sha256`).
    verification_code = models.CharField(_("verification code"), max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport PDF")
        verbose_name_plural = _("rapport PDFs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["rapport", "language", "content_hash"], name="rapport_pdf_one_per_content"),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (~models.Q(file="") & ~models.Q(sha256="")),
                name="rapport_pdf_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.created_at:%Y-%m-%d %H:%M}"
