"""Cases, the people in them, exploitation sites, attachments and the personal-data access log."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from accounts.fields import EncryptedCharField, EncryptedTextField
from accounts.history import name_in_language
from accounts.validators import EARLIEST_DATE, EARLIEST_MOMENT_ANYWHERE, PLAIN_TEXT, PLAUSIBLE_DATE

from .ages import ADULT_AGE, age_at


class TriState(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not established")


class Country(models.Model):
    """Reference list of countries (citizenship, countries of a route), kept by administrators."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True, validators=PLAIN_TEXT)
    name = models.CharField(_("name (Kyrgyz)"), max_length=100, validators=PLAIN_TEXT)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, validators=PLAIN_TEXT)
    name_en = models.CharField(_("name (English)"), max_length=100, validators=PLAIN_TEXT)
    sort_order = models.PositiveSmallIntegerField(_("order in lists"), default=100)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return name_in_language(ky=self.name, ru=self.name_ru, en=self.name_en, language=get_language())


class CaseNumberCounter(models.Model):
    """The last number given to a case of one unit in one year; its row is locked while a case is opened."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="case_number_counter_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class Case(models.Model):
    """A report of possible trafficking, from intake to registration in the Unified Register of Crimes (КБР)."""

    class Source(models.TextChoices):
        OWN_DUTIES = "own_duties", _("Officer's own duties")
        RAID = "raid", _("Preventive or raid operation")
        CITIZEN = "citizen", _("Citizen")
        VICTIM = "victim", _("The victim")
        NGO = "ngo", _("NGO")
        MEDIA = "media", _("Media")
        DUTY_UNIT = "duty_unit", _("Duty unit")
        HOTLINE_1899 = "hotline_1899", _("1899 hotline")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CHECK = "check", _("Pre-investigation check")
        REGISTERED = "registered", _("Registered in the КБР")
        REFERRED = "referred", _("Victim referred to services")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("case number"), max_length=40, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="created_cases"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    source = models.CharField(_("how the report came in"), max_length=20, choices=Source.choices)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, validators=PLAUSIBLE_DATE)
    incident_at = models.DateTimeField(
        _("date and time of the incident"),
        null=True,
        blank=True,
        help_text=_("Deadlines such as the 72 hours for health information run from this moment."),
        validators=PLAUSIBLE_DATE,
    )
    incident_place = models.CharField(_("place of the incident"), max_length=300, blank=True, validators=PLAIN_TEXT)
    summary = models.TextField(_("circumstances"), blank=True, validators=PLAIN_TEXT)
    country_origin = models.BooleanField(_("Kyrgyz Republic is the country of origin"), default=False)
    country_transit = models.BooleanField(_("Kyrgyz Republic is a transit country"), default=False)
    country_destination = models.BooleanField(_("Kyrgyz Republic is the country of destination"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    kbr_number = models.CharField(_("КБР registration number"), max_length=60, blank=True, validators=PLAIN_TEXT)
    kbr_registered_at = models.DateField(_("КБР registration date"), null=True, blank=True, validators=PLAUSIBLE_DATE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit", "-received_at"], name="case_unit_received_idx"),
            # The list's order: a page of a wide scope (a head's subtree, OR-ed grants) is read in this order.
            models.Index(fields=["-received_at"], name="case_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kbr_number="") | models.Q(kbr_registered_at__isnull=False),
                name="case_kbr_number_has_date",
            ),
            # Rows written around the validators (imports, scripts) must not break the case list: a time before
            # year 1 in UTC cannot even be read back. NULL passes a CHECK.
            models.CheckConstraint(
                condition=models.Q(received_at__gte=EARLIEST_MOMENT_ANYWHERE)
                & models.Q(incident_at__gte=EARLIEST_MOMENT_ANYWHERE)
                & models.Q(kbr_registered_at__gte=EARLIEST_DATE),
                name="case_dates_from_1900",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def act_date(self) -> date:
        """Date of the act: the incident, or when unknown the day the report came in."""
        moment = self.incident_at or self.received_at
        return timezone.localdate(moment)

    @property
    def country_roles(self) -> list[str]:
        labels = []
        for flag, label in (
            (self.country_origin, _("origin")),
            (self.country_transit, _("transit")),
            (self.country_destination, _("destination")),
        ):
            if flag:
                labels.append(str(label))
        return labels


class Victim(models.Model):
    """A possible victim. Personal data: every read is logged; nothing of it is ever logged or exported unfiltered."""

    class IdentityEstablishedBy(models.TextChoices):
        ID_DOCUMENT = "id_document", _("Identity document")
        OTHER_DOCUMENT = "other_document", _("Other document")
        WITNESSES = "witnesses", _("Statements of relatives or witnesses")
        DATABASES = "databases", _("Police or civil-registry records")
        NOT_YET = "not_yet", _("Not yet established")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="victims")
    last_name = models.CharField(_("surname (Cyrillic)"), max_length=100, blank=True, validators=PLAIN_TEXT)
    first_name = models.CharField(_("first name (Cyrillic)"), max_length=100, blank=True, validators=PLAIN_TEXT)
    patronymic = models.CharField(_("patronymic (Cyrillic)"), max_length=100, blank=True, validators=PLAIN_TEXT)
    last_name_latin = models.CharField(_("surname (Latin)"), max_length=100, blank=True, validators=PLAIN_TEXT)
    first_name_latin = models.CharField(_("first name (Latin)"), max_length=100, blank=True, validators=PLAIN_TEXT)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True, validators=PLAUSIBLE_DATE)
    approximate_age = models.PositiveSmallIntegerField(
        _("approximate age"), null=True, blank=True, help_text=_("Only when the date of birth is unknown.")
    )
    appears_minor = models.BooleanField(
        _("appears to be a minor"),
        default=False,
        help_text=_(
            "No reliable age yet, but the person appears to be under 18: treated as a child until established."
        ),
    )
    citizenship = models.CharField(
        _("citizenship"), max_length=2, default="KG", help_text=_("ISO country code"), validators=PLAIN_TEXT
    )
    foreign_status_documents = EncryptedTextField(
        _("documents proving foreign status"), blank=True, validators=PLAIN_TEXT
    )
    receiving_organisation = models.CharField(
        _("receiving organisation or person (foreign victims)"), max_length=300, blank=True, validators=PLAIN_TEXT
    )
    # Encrypted at rest (accounts.fields): whereabouts, contacts and the document number.
    residence_address = EncryptedCharField(_("place of residence"), max_length=300, blank=True, validators=PLAIN_TEXT)
    temporary_residence_address = EncryptedCharField(
        _("place of temporary residence"), max_length=300, blank=True, validators=PLAIN_TEXT
    )
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, validators=PLAIN_TEXT)
    other_contacts = EncryptedCharField(_("other contacts"), max_length=300, blank=True, validators=PLAIN_TEXT)
    id_document_type = models.CharField(_("identity document type"), max_length=100, blank=True, validators=PLAIN_TEXT)
    id_document_number = EncryptedCharField(
        _("identity document number"), max_length=60, blank=True, validators=PLAIN_TEXT
    )
    identity_established_by = models.CharField(
        _("identity established by"),
        max_length=20,
        choices=IdentityEstablishedBy.choices,
        default=IdentityEstablishedBy.NOT_YET,
    )
    # Keys for the duplicate search: the Latin skeleton of the names; blind indexes (keyed hashes, see
    # cases.probes.phone_blind_index) of the phone's last digits and of the document number, which are encrypted.
    name_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    # The duplicate check's blocking key (names.phonetic_key): equal for the usual spellings of one name.
    name_phonetic = models.CharField(max_length=300, blank=True, editable=False)
    phone_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    document_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        ordering = ["created_at"]
        # The duplicate check looks for similar names among the people born on the given day.
        indexes = [
            models.Index(fields=["date_of_birth"], name="victim_date_of_birth_idx"),
            # Blocking on name + date of birth: every person of one spelling-independent name, by birth date.
            models.Index(fields=["name_phonetic", "date_of_birth"], name="victim_name_phonetic_dob_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approximate_age__isnull=True) | models.Q(approximate_age__lte=120),
                name="victim_age_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(date_of_birth__gte=EARLIEST_DATE), name="victim_date_of_birth_from_1900"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("Unnamed person"))

    @property
    def full_name(self) -> str:
        cyrillic = " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)
        return cyrillic or " ".join(p for p in (self.last_name_latin, self.first_name_latin) if p)

    @property
    def latin_name(self) -> str:
        return " ".join(p for p in (self.last_name_latin, self.first_name_latin) if p)

    @property
    def is_foreign(self) -> bool:
        return bool(self.citizenship) and self.citizenship.upper() != "KG"

    @property
    def citizenship_name(self) -> str:
        """The country of citizenship by its name in the reader's language; the code when the list lacks it.

        The selectors annotate the names (`selectors.victims_with_country_names`); elsewhere the country is looked up.
        """
        if hasattr(self, "citizenship_in_ky"):
            ky, ru, en = self.citizenship_in_ky, self.citizenship_in_ru, self.citizenship_in_en
        else:
            country = Country.objects.filter(code=self.citizenship).first()
            ky, ru, en = (country.name, country.name_ru, country.name_en) if country else (None, None, None)
        if not ky:
            return self.citizenship
        return name_in_language(ky=ky, ru=ru or "", en=en or "", language=get_language())

    @property
    def age_at_act(self) -> int | None:
        """Age at the date of the act, from the date of birth, else the approximate age."""
        if self.date_of_birth:
            act = self.case.act_date
            if self.date_of_birth > act:
                return None
            return age_at(self.date_of_birth, act)
        return self.approximate_age

    @property
    def is_child(self) -> bool:
        """Derived, never typed: under 18 at the act, or appearing minor while no age is known."""
        age = self.age_at_act
        if age is None:
            return self.appears_minor
        return age < ADULT_AGE

    @property
    def needs_child_protection_body(self) -> bool:
        """A child whose recorded representatives are all suspects: the child-protection body must act for them."""
        representatives = list(self.legal_representatives.all())
        return (
            self.is_child and any(r.is_suspect for r in representatives) and not any(r.may_act for r in representatives)
        )

    @property
    def child_by_presumption(self) -> bool:
        return self.age_at_act is None and self.appears_minor


class LegalRepresentative(models.Model):
    """A child's legal representative; when the representative is a suspect, the child-protection body acts instead."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Guardian or trustee")
        RELATIVE = "relative", _("Other relative")
        CHILD_PROTECTION_BODY = "child_protection_body", _("Child-protection body")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    victim = models.ForeignKey(
        Victim, verbose_name=_("victim"), on_delete=models.CASCADE, related_name="legal_representatives"
    )
    full_name = models.CharField(_("full name or body"), max_length=300, validators=PLAIN_TEXT)
    relation = models.CharField(_("relation"), max_length=30, choices=Relation.choices)
    is_suspect = models.BooleanField(
        _("is a suspect in this case"),
        default=False,
        help_text=_("Then the child-protection body takes the role of the legal representative."),
    )
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, validators=PLAIN_TEXT)
    address = EncryptedCharField(_("address"), max_length=300, blank=True, validators=PLAIN_TEXT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("legal representative")
        verbose_name_plural = _("legal representatives")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def may_act(self) -> bool:
        return not self.is_suspect


class Suspect(models.Model):
    """A possible offender: what the rapport needs to find them (DOMAIN §8 item 2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="suspects")
    full_name = models.CharField(_("name, if known"), max_length=300, blank=True, validators=PLAIN_TEXT)
    nickname = models.CharField(_("nickname or alias"), max_length=100, blank=True, validators=PLAIN_TEXT)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age = models.PositiveSmallIntegerField(_("age at the act"), null=True, blank=True)
    appearance = models.TextField(_("appearance"), blank=True, validators=PLAIN_TEXT)
    identifying_data = EncryptedTextField(_("identifying data"), blank=True, validators=PLAIN_TEXT)
    possible_locations = EncryptedTextField(_("where they may live, stay or hide"), blank=True, validators=PLAIN_TEXT)
    armed = models.CharField(_("armed"), max_length=10, choices=TriState.choices, default=TriState.UNKNOWN)
    sane = models.CharField(_("sane"), max_length=10, choices=TriState.choices, default=TriState.UNKNOWN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.full_name or self.nickname or str(_("Unknown person"))


class ExploitationSite(models.Model):
    """A place where people are or were exploited, and whether other victims may be there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sites")
    location = models.CharField(_("location"), max_length=300, validators=PLAIN_TEXT)
    description = models.TextField(_("description"), blank=True, validators=PLAIN_TEXT)
    other_victims = models.CharField(
        _("other possible victims there"), max_length=10, choices=TriState.choices, default=TriState.UNKNOWN
    )
    other_victims_notes = models.TextField(_("about the other possible victims"), blank=True, validators=PLAIN_TEXT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("exploitation site")
        verbose_name_plural = _("exploitation sites")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.location


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Store files under a random name: the original name may hold personal data."""
    return f"attachments/{instance.case_id}/{instance.id}"


class Attachment(models.Model):
    """A file of the case, served only through a permission-checked view.

    A removed file keeps its row and its content for the audit: it leaves the case page, and only superusers may still
    download it (cases.selectors.attachment_get_for_user).
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        PHOTO = "photo", _("Photo")
        STATEMENT = "statement", _("Statement or explanation")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255, validators=PLAIN_TEXT)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("removed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    removal_reason = models.TextField(_("reason for removal"), blank=True, validators=PLAIN_TEXT)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]
        constraints = [
            # Removed: when, by whom and why, all three; kept: none of them.
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removed_by__isnull=True, removal_reason="")
                | (models.Q(removed_at__isnull=False, removed_by__isnull=False) & ~models.Q(removal_reason="")),
                name="attachment_removal_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class OfficerStep(models.Model):
    """One of the officer's steps (DOMAIN §7), recorded with its time and author."""

    class Code(models.TextChoices):
        CHECK_REPORT = "check_report", _("Checked the report; took lawful measures to establish a likely crime")
        ESTABLISH_IDENTITY = "establish_identity", _("Established the identity (ID document or other means)")
        INTERVIEW = (
            "interview",
            _(
                "Interviewed the person (a child only with the legal representative); explained rights and services; "
                "handed over contacts of state bodies and NGOs"
            ),
        )
        HAND_RIGHTS_SHEET = "hand_rights_sheet", _("Handed over the rights and contacts sheet")
        ASSESS_RISKS = "assess_risks", _("Assessed risks to health and safety; gave urgent help; ensured safety")
        ADVISE_DOCUMENTS = (
            "advise_documents",
            _("Adults: advised keeping items and documents that prove their legal status"),
        )
        PRESERVE_TRACES = "preserve_traces", _("Preserved traces at the crime scene")
        WRITE_RAPPORT = (
            "write_rapport",
            _("Wrote the rapport, registered it in the КБР and informed the direct superior"),
        )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("step"), max_length=30, choices=Code.choices)
    done_at = models.DateTimeField(_("done at"), default=timezone.now, validators=PLAUSIBLE_DATE)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True, validators=PLAIN_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("officer's step")
        verbose_name_plural = _("officer's steps")
        ordering = ["done_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="officer_step_once_per_case"),
            models.CheckConstraint(
                condition=models.Q(done_at__gte=EARLIEST_MOMENT_ANYWHERE), name="officer_step_done_from_1900"
            ),
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A per-case grant to one user (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case permission of a user")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """A per-case grant to a group (guardian, direct foreign key)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case permission of a group")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the access log is append-only")

    def delete(self):
        raise PermissionError("the access log is append-only")


class PersonalDataAccess(models.Model):
    """Append-only: who read whose personal data, when, and from where.

    Who is a signed-in user, or an organisation's API key (no person: `user` is empty, `api_key` and `organisation`
    name the caller); a CHECK constraint keeps one of the two. On PostgreSQL a trigger refuses UPDATE, DELETE and
    TRUNCATE of this table, whatever the client (migrations 0007 and access_log_purpose_denied_truncate).

    A refused request (the object is missing or not the reader's: the page answered 404) is a row too, action
    "denied": the object type and the id as asked (cleaned, capped), and its case when the id names one.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EDIT_FORM = "edit_form", _("Opened for editing")
        DOWNLOAD = "download", _("Downloaded a file")
        HISTORY = "history", _("Viewed history")
        EXPORT = "export", _("Exported")
        DUPLICATE_CHECK = "duplicate_check", _("Checked for duplicates")
        DENIED = "denied", _("Refused")

    class Purpose(models.TextChoices):
        """Why the data was read: derived from the path that read it, or stated by the reader (an export)."""

        CASE_WORK = "case_work", _("Case work")
        REFERRAL = "referral", _("Referral and support")
        SUPERVISION = "supervision", _("Supervision or review")
        EXPORT = "export", _("Export or reporting")
        DUPLICATE_CHECK = "duplicate_check", _("Duplicate check")
        PRINTING = "printing", _("Printing")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey", verbose_name=_("API key"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The organisation the reader acted for: an API key's, or a signed-in NGO worker's (empty for the police).
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, blank=True)
    # Empty only on a refused request for an object that does not exist (a CHECK constraint keeps it so).
    case = models.ForeignKey(Case, verbose_name=_("case"), null=True, on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.CharField(_("record"), max_length=64)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    # A duplicate check: which kinds of keys it searched, and each key as a keyed hash (cases.probes), never in clear.
    query_kinds = models.CharField(_("searched by"), max_length=60, blank=True)
    name_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    document_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(api_key__isnull=False),
                name="access_log_has_a_reader",
            ),
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(action="denied"),
                name="access_log_names_a_case_unless_denied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.record_type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the access log is append-only")

    @property
    def reader_label(self) -> str:
        """Who read, for the log's pages: the user, or an organisation and the prefix of its key (never the key)."""
        if self.user_id is not None:
            return str(self.user)
        organisation = self.organisation.name if self.organisation_id else "—"
        prefix = self.api_key.prefix if self.api_key_id else "—"
        return str(_("{organisation} (API key {prefix})")).format(organisation=organisation, prefix=prefix)
