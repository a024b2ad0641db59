"""Screenings of a possible victim against the elements of Art. 166/167, and the obligations that follow."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.fields import EncryptedTextField
from accounts.validators import PLAIN_TEXT

from .qualification import LABELS, VERDICTS


class Screening(models.Model):
    """One screening, kept with its author and time; a case may have several as facts evolve."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="screenings")
    victim = models.ForeignKey(
        "cases.Victim", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="screenings",
    )  # fmt: skip
    # Said by the officer: "not yet identified" differs from a screening stored before the wizard asked (no person).
    person_not_identified = models.BooleanField(_("person not yet identified"), default=False)
    # The date of the act was not known: the facts hold the day the report came in, which the officer chose to use.
    act_date_unknown = models.BooleanField(_("date of the act not known"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("screened at"), auto_now_add=True, db_index=True)
    # The engine's input, exactly as sent to screening.qualification.qualify (ARCHITECTURE §4).
    facts = models.JSONField(_("facts"), default=dict)
    verdict = models.CharField(
        _("verdict"), max_length=40, choices=[(v, LABELS[v]["en"]) for v in VERDICTS], db_index=True
    )
    articles = models.JSONField(_("articles"), default=list)
    child = models.BooleanField(_("treated as a child"), default=False)
    missing = models.JSONField(_("missing elements"), default=list)
    warnings = models.JSONField(_("warnings"), default=list)
    # The explanation as the officer saw it, in each language: the legal record of why.
    explanations = models.JSONField(_("explanations"), default=dict)
    indicators = models.JSONField(_("trafficking indicators"), default=list)
    vulnerability = models.JSONField(_("vulnerability"), default=list)
    vulnerability_kinds = models.JSONField(_("kinds of vulnerability"), default=list)
    vulnerability_factors = models.JSONField(_("vulnerability factors"), default=list)
    violence_against_women = models.BooleanField(_("violence against a woman found"), default=False)
    # True / False as answered; None: not known yet, or not asked (screenings of a child without a sexual purpose).
    sexual_violence = models.BooleanField(_("sexual violence against the child"), null=True, default=False)
    high_risk = models.BooleanField(_("high risk of further violence"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True, validators=PLAIN_TEXT)  # may hold health: encrypted at rest
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_not_identified=False) | models.Q(victim__isnull=True),
                name="screening_person_or_not_identified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def article_badge(self) -> str:
        """The article of the verdict for badges: "166", "167", "159/160", or empty."""
        return {"art_166": "166", "art_167": "167", "art_159_160": "159/160"}.get(self.verdict, "")

    @property
    def act_date(self) -> date | None:
        """The date of the act the engine was given (None for facts stored without one)."""
        try:
            return date.fromisoformat(self.facts["act_date"])
        except (KeyError, TypeError, ValueError):
            return None

    def explanation(self, language: str) -> str:
        return self.explanations.get(language) or self.explanations.get("en", "")


class Obligation(models.Model):
    """Something the officer or the unit must do because of a screening, with its deadline and its legal basis."""

    class Basis(models.TextChoices):
        HANDBOOK = "handbook", _("Handbook")
        PROJECT_POLICY = "project_policy", _("Project policy")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("obligation status", "Open")
        DONE = "done", pgettext_lazy("obligation status", "Done")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="obligations")
    # The screening it follows from; none for an item of another origin (a 1899 call to take up).
    screening = models.ForeignKey(
        Screening, verbose_name=_("screening"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="obligations",
    )  # fmt: skip
    code = models.CharField(_("obligation"), max_length=50)
    # Who must do it (screening.obligations.ROUTES): a role of `unit` ("" is the case's officer); `assignee` is the
    # person of that role who claimed it or was given it in the triage queue.
    addressee = models.CharField(_("for"), max_length=30, blank=True, default="")
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_obligations",
    )  # fmt: skip
    claimed_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    # When the head was told it is overdue: once, not every minute the clock runs.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    basis = models.CharField(_("basis of the deadline"), max_length=20, choices=Basis.choices)
    deadline_rule = models.CharField(_("deadline rule"), max_length=30)
    incident_time_unknown = models.BooleanField(_("incident time unknown"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    note = models.CharField(
        _("what was done"), max_length=300, blank=True, validators=PLAIN_TEXT,
        help_text=_("To whom, and the document number if there is one."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["-status", "due_at"]  # "open" sorts after "done": open ones first, soonest deadline first
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="obligation_once_per_case"),
        ]
        indexes = [models.Index(fields=["unit", "addressee", "status", "due_at"], name="obligation_queue_idx")]

    def __str__(self) -> str:
        return self.code
