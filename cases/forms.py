"""Forms of the case pages; validation messages in the user's language."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from accounts.models import User
from accounts.roles import CASE_OFFICER_ROLES, Role
from accounts.validators import CLOCK_TOLERANCE

from .models import Attachment, Case, Country, ExploitationSite, LegalRepresentative, OfficerStep, Suspect, Victim
from .names import name_key
from .probes import MIN_DOCUMENT_CHARS, MIN_PHONE_DIGITS, document_probe_key, phone_probe_key
from .reasons import REASON_MAX_LENGTH


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VersionedForm(PlausibleInputMixin, forms.ModelForm):
    """A form that carries the version it was opened at, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and not self.instance._state.adding and not self.is_bound:
            self.initial["version"] = self.instance.version


class CaseForm(VersionedForm):
    class Meta:
        model = Case
        fields = [
            "source",
            "received_at",
            "incident_at",
            "incident_place",
            "summary",
            "country_origin",
            "country_transit",
            "country_destination",
            "assigned_officer",
            "status",
            "kbr_number",
            "kbr_registered_at",
        ]
        widgets = {
            "received_at": DateTimeInput(),
            "incident_at": DateTimeInput(),
            "kbr_registered_at": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, unit=None, opened_by: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        unit = unit or (self.instance.unit if not self.instance._state.adding else None)
        officers = (
            User.objects.filter(
                is_active=True, unit=unit, groups__name__in=[str(r) for r in CASE_OFFICER_ROLES]
            ).distinct()
            if unit
            else User.objects.none()
        )
        self.fields["assigned_officer"].queryset = officers.order_by("last_name", "first_name")
        self.fields["assigned_officer"].empty_label = _("— nobody yet —")
        if self.instance._state.adding:  # a UUID primary key is set before the first save
            del self.fields["version"]
            del self.fields["status"]
            del self.fields["kbr_number"]
            del self.fields["kbr_registered_at"]
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
            if opened_by is not None:
                self._default_to_who_opens(opened_by, officers)
        else:  # closing is its own action, with a reason (cases:close)
            status = self.fields["status"]
            status.choices = [(value, label) for value, label in status.choices if value != Case.Status.CLOSED]

    def _default_to_who_opens(self, user: User, officers) -> None:
        """The officer opening a case is responsible for it unless they choose a colleague; a 1899 operator's case
        came in on the 1899 line (an operator is not an officer who can be assigned)."""
        if officers.filter(pk=user.pk).exists():
            self.initial.setdefault("assigned_officer", user.pk)
        if user.has_role(Role.HOTLINE_OPERATOR):
            self.initial.setdefault("source", Case.Source.HOTLINE_1899)

    def _keep_stored_seconds(self, name: str):
        """The widget shows minutes only: an untouched time must not be cut to the minute (a change and a version)."""
        value = self.cleaned_data.get(name)
        stored = None if self.instance._state.adding else getattr(self.instance, name)
        if value and stored and value == stored.replace(second=0, microsecond=0):
            return stored
        return value

    def clean_received_at(self):
        return self._keep_stored_seconds("received_at")

    def clean_incident_at(self):
        return self._keep_stored_seconds("incident_at")

    def clean(self):
        cleaned = super().clean()
        received_at, incident_at = cleaned.get("received_at"), cleaned.get("incident_at")
        if incident_at and incident_at > timezone.now():
            self.add_error("incident_at", _("The incident cannot be in the future."))
        if received_at and received_at > timezone.now() + CLOCK_TOLERANCE:
            self.add_error("received_at", _("The report cannot be received in the future."))
        number, registered_at = cleaned.get("kbr_number"), cleaned.get("kbr_registered_at")
        if registered_at and registered_at > timezone.localdate():
            self.add_error("kbr_registered_at", _("The КБР registration date cannot be in the future."))
        # A value refused already is not also "missing": one message per field.
        if number and not registered_at and "kbr_registered_at" not in self.errors:
            self.add_error("kbr_registered_at", _("Give the registration date with the КБР number."))
        if registered_at and not number and "kbr_number" not in self.errors:
            self.add_error("kbr_number", _("Give the КБР number with the registration date."))
        return cleaned


class VictimForm(VersionedForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked the possible matches: this is a different person"), required=False
    )

    class Meta:
        model = Victim
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "last_name_latin",
            "first_name_latin",
            "sex",
            "date_of_birth",
            "approximate_age",
            "appears_minor",
            "citizenship",
            "foreign_status_documents",
            "receiving_organisation",
            "residence_address",
            "temporary_residence_address",
            "phone",
            "other_contacts",
            "id_document_type",
            "id_document_number",
            "identity_established_by",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "foreign_status_documents": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case or getattr(self.instance, "case", None)
        if self.instance._state.adding:  # a UUID primary key is set before the first save
            del self.fields["version"]
        else:
            del self.fields["confirm_not_duplicate"]
        self.fields["citizenship"] = forms.ChoiceField(
            label=capfirst(Victim._meta.get_field("citizenship").verbose_name),
            choices=[(c.code, c.display_name) for c in Country.objects.all()],
            initial="KG",
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f) for f in ("last_name", "first_name", "last_name_latin", "first_name_latin")):
            raise forms.ValidationError(_("Give at least one name, in Cyrillic or Latin letters."))
        born = cleaned.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", _("The date of birth cannot be in the future."))
        elif born and self.case is not None and born > self.case.act_date:
            self.add_error("date_of_birth", _("The date of birth is after the date of the act."))
        if born and cleaned.get("approximate_age") is not None:
            self.add_error("approximate_age", _("Leave the approximate age empty when the date of birth is known."))
        return cleaned


class RecordForm(VersionedForm):
    """A record of a case added here and corrected later: the version only when correcting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:  # a UUID primary key is set before the first save
            del self.fields["version"]


class LegalRepresentativeForm(RecordForm):
    class Meta:
        model = LegalRepresentative
        fields = ["full_name", "relation", "is_suspect", "phone", "address"]


class SuspectForm(RecordForm):
    class Meta:
        model = Suspect
        fields = [
            "full_name",
            "nickname",
            "sex",
            "age",
            "appearance",
            "identifying_data",
            "possible_locations",
            "armed",
            "sane",
        ]
        widgets = {
            "appearance": forms.Textarea(attrs={"rows": 2}),
            "identifying_data": forms.Textarea(attrs={"rows": 2}),
            "possible_locations": forms.Textarea(attrs={"rows": 2}),
        }


class ExploitationSiteForm(RecordForm):
    class Meta:
        model = ExploitationSite
        fields = ["location", "description", "other_victims", "other_victims_notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "other_victims_notes": forms.Textarea(attrs={"rows": 2}),
        }


class ReasonForm(PlausibleInputMixin, forms.Form):
    """Why a record is removed, or a case closed or reopened: required, kept in the case history."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the case history with your name and the time."),
        error_messages={"required": _("Give the reason: it is kept in the case history.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, label=None, versioned: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if not versioned:
            del self.fields["version"]


class AttachmentForm(PlausibleInputMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("File"))


class OfficerStepForm(PlausibleInputMixin, forms.Form):
    """One of the officer's steps marked as done, with an optional note."""

    code = forms.ChoiceField(choices=OfficerStep.Code.choices, error_messages={"invalid_choice": _("Unknown step.")})
    note = forms.CharField(label=_("note"), required=False, max_length=OfficerStep._meta.get_field("note").max_length)


class AccessLogSearchForm(PlausibleInputMixin, forms.Form):
    """What a head looks up in the access log: who probed this phone, document number or name in a duplicate check."""

    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    document_number = forms.CharField(label=_("Identity document number"), required=False, max_length=60)
    name = forms.CharField(label=_("Name (Cyrillic or Latin)"), required=False, max_length=200)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if phone and not phone_probe_key(phone):
            raise forms.ValidationError(
                _("Give at least {count} digits: shorter numbers are never searched.").format(count=MIN_PHONE_DIGITS)
            )
        return phone

    def clean_document_number(self) -> str:
        number = self.cleaned_data["document_number"]
        if number and not document_probe_key(number):
            raise forms.ValidationError(
                _("Give at least {count} letters or digits: shorter numbers are never searched.").format(
                    count=MIN_DOCUMENT_CHARS
                )
            )
        return number

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if name and not name_key(name):
            raise forms.ValidationError(_("Give a name in Cyrillic or Latin letters."))
        return name

    def looks_something_up(self) -> bool:
        return any(self.cleaned_data.get(field) for field in ("phone", "document_number", "name"))


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has that field, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
