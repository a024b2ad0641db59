"""Forms of the referral pages; validation messages in the user's language."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from accounts.models import Unit
from accounts.validators import CLOCK_TOLERANCE
from cases.forms import DateTimeInput
from cases.models import Case, LegalRepresentative, Victim
from cases.reasons import REASON_MAX_LENGTH

from .models import CATEGORIES, Category, Consent, HotlineCall, Recipient, Referral, RightsSheet, Service, ServiceUpdate


class ReasonForm(PlausibleInputMixin, forms.Form):
    """A reason the history keeps: why a referral is declined, withdrawn or reopened."""

    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class ServiceUpdateForm(PlausibleInputMixin, forms.ModelForm):
    """A service the recipient gave the person, or a note; optionally closing the referral."""

    close = forms.BooleanField(label=_("Services are complete: close the referral"), required=False)

    class Meta:
        model = ServiceUpdate
        fields = ["service", "given_on", "note"]
        widgets = {"given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("— a note only —")), *Service.choices]


# -- the police side: a new referral, consent, the list's filters ------------------------------------------------------
MESSAGE_MAX_LENGTH = 2000


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recipient) -> str:
        return obj.display_name


class ReferralForm(PlausibleInputMixin, forms.Form):
    """A referral made by hand: the recipient from the directory, the person, the services, what the recipient should
    know (shared only as far as the person's consent and the recipient's agreement allow)."""

    recipient = RecipientChoiceField(
        label=_("Recipient"), queryset=Recipient.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    victim = forms.ModelChoiceField(label=_("Person"), queryset=Victim.objects.none(), required=False)
    services = forms.MultipleChoiceField(
        label=_("Services asked for"), choices=Service.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    message = forms.CharField(
        label=_("Message to the recipient"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Part of the case facts: the recipient reads it only with the person's consent to case facts."),
    )
    health_needs = forms.CharField(
        label=_("Health needs"),
        required=False,
        max_length=Referral._meta.get_field("health_needs").max_length,
        help_text=_("Shared only with consent to health data."),
    )

    def __init__(self, *args, case: Case, directory, victims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = directory
        self.fields["victim"].queryset = case.victims.all()
        self.fields["victim"].choices = [("", _("— nobody yet —")), *((v.pk, _victim_label(v)) for v in victims)]
        if victims:  # a case with people refers one of them
            self.fields["victim"].required = True
            self.fields["victim"].choices = self.fields["victim"].choices[1:]


def _victim_label(victim: Victim) -> str:
    """Initials, sex and age: enough to choose, for a page that names nobody in full."""
    parts = [p for p in (victim.last_name or victim.last_name_latin, victim.first_name or victim.first_name_latin) if p]
    label = " ".join(f"{p[0]}." for p in parts) or "—"
    extra = [str(victim.get_sex_display())] if victim.sex else []
    if victim.age_at_act is not None:
        extra.append(str(_("{age} years").format(age=victim.age_at_act)))
    if victim.is_child:
        extra.append(str(_("child")))
    return f"{label} ({', '.join(extra)})" if extra else label


NOT_ASKED = ""
DECISION_CHOICES = [
    (Consent.Decision.GIVEN, _("agrees")),
    (Consent.Decision.REFUSED, _("refuses")),
    (NOT_ASKED, _("not asked")),
]


class ConsentForm(PlausibleInputMixin, forms.Form):
    """The person's decisions for one recipient, one per kind of data; who decided and how the person was told."""

    recipient = RecipientChoiceField(label=_("Recipient"), queryset=Recipient.objects.none())
    given_by = forms.ChoiceField(label=_("Decided by"), choices=Consent.GivenBy.choices, widget=forms.RadioSelect)
    representative = forms.ModelChoiceField(
        label=_("Legal representative"), queryset=LegalRepresentative.objects.none(), required=False
    )
    informed_how = forms.ChoiceField(label=_("How the person was told what is shared and with whom"))

    def __init__(self, *args, victim: Victim, directory, representatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.victim = victim
        self.fields["recipient"].queryset = directory
        for category, label in Category.choices:
            self.fields[f"category_{category}"] = forms.ChoiceField(
                label=label, choices=DECISION_CHOICES, required=False, widget=forms.RadioSelect, initial=NOT_ASKED
            )
        self.fields["informed_how"].choices = [("", _("— choose —")), *Consent.Informed.choices]
        if victim.is_child:
            self.fields["given_by"].choices = [
                (value, label) for value, label in Consent.GivenBy.choices if value != Consent.GivenBy.VICTIM
            ]
            self.fields["representative"].queryset = victim.legal_representatives.all()
            self.fields["representative"].choices = [
                ("", _("— choose —")),
                *((r.pk, _representative_label(r)) for r in representatives),
            ]
            self.fields["given_by"].initial = (
                Consent.GivenBy.LEGAL_REPRESENTATIVE
                if any(r.may_act for r in representatives)
                else Consent.GivenBy.CHILD_PROTECTION_BODY
            )
        else:
            self.fields["given_by"].choices = [(Consent.GivenBy.VICTIM, Consent.GivenBy.VICTIM.label)]
            self.fields["given_by"].initial = Consent.GivenBy.VICTIM
            del self.fields["representative"]

    def category_fields(self):
        return [self[f"category_{category}"] for category in CATEGORIES]

    def decisions(self) -> dict[str, str]:
        """The categories decided (agrees or refuses); those not asked are left as they stand."""
        return {
            category: self.cleaned_data[f"category_{category}"]
            for category in CATEGORIES
            if self.cleaned_data.get(f"category_{category}")
        }


def _representative_label(representative: LegalRepresentative) -> str:
    label = f"{representative.full_name} ({representative.get_relation_display()})"
    if not representative.may_act:
        label += " — " + str(_("a suspect: may not decide"))
    return label


class ConsentWithdrawForm(PlausibleInputMixin, forms.Form):
    """The person takes a consent back: a note of how and when they said so."""

    note = forms.CharField(
        label=_("How the person withdrew it"),
        max_length=Consent._meta.get_field("withdrawal_note").max_length,
        error_messages={"required": _("Write how the person withdrew the consent: it is kept in the history.")},
    )


class ReferralFilterForm(PlausibleInputMixin, forms.Form):
    """The filters of the police list of referrals (GET)."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    recipient = RecipientChoiceField(label=_("Recipient"), queryset=Recipient.objects.none(), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("— any —")), *Referral.Status.choices]
        self.fields["recipient"].queryset = recipients
        self.fields["recipient"].empty_label = _("— any —")


# -- the 1899 desk -----------------------------------------------------------------------------------------------------
class DistrictsByOblast(ModelChoiceIterator):
    """The district departments as a select grouped by their oblast or city department."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for unit in self.queryset:
            parent = unit.parent.display_name if unit.parent_id else ""
            groups.setdefault(parent, []).append(self.choice(unit))
        yield from groups.items()


class DistrictChoiceField(forms.ModelChoiceField):
    iterator = DistrictsByOblast

    def label_from_instance(self, unit: Unit) -> str:
        return unit.display_name


class HotlineCallForm(PlausibleInputMixin, forms.ModelForm):
    """What the operator takes down during a call; the call goes to the chosen district's duty unit."""

    district = DistrictChoiceField(
        label=_("District department"),
        queryset=Unit.objects.none(),
        help_text=_("The duty unit of this department receives the report."),
    )

    class Meta:
        model = HotlineCall
        fields = [
            "received_at",
            "caller",
            "caller_name",
            "caller_phone",
            "callback_consent",
            "summary",
            "place",
            "urgency",
            "district",
        ]
        widgets = {
            "received_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "caller_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "caller_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "callback_consent": _("Only then does the duty officer see the caller's name and phone."),
            "place": _("Where the person is or where it happened, as the caller said."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = (
            Unit.objects.filter(kind=Unit.Kind.DISTRICT).select_related("parent").order_by("path")
        )
        self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        received_at = cleaned.get("received_at")
        if received_at and received_at > timezone.now() + CLOCK_TOLERANCE:
            self.add_error("received_at", _("The call cannot be received in the future."))
        if cleaned.get("caller") == HotlineCall.Caller.ANONYMOUS and cleaned.get("caller_name"):
            self.add_error("caller_name", _("The caller did not give a name: leave the name empty or say who called."))
        if cleaned.get("callback_consent") and not cleaned.get("caller_phone") and "caller_phone" not in self.errors:
            self.add_error("caller_phone", _("Give the phone number to call back on."))
        return cleaned


# -- the directory -----------------------------------------------------------------------------------------------------
class DirectoryFilterForm(PlausibleInputMixin, forms.Form):
    """Filter the directory by the region served and the kind of entry."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Unit.objects.none(), required=False, empty_label=_("— every region —")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    inactive = forms.BooleanField(label=_("Show inactive entries too"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Unit.objects.filter(kind__in=[Unit.Kind.OBLAST, Unit.Kind.CITY]).order_by(
            "path"
        )
        self.fields["kind"].choices = [("", _("— every kind —")), *Recipient.Kind.choices]


class RecipientAdminForm(PlausibleInputMixin, forms.ModelForm):
    """The directory entry in the admin: services and the agreement's categories as check boxes, not raw JSON."""

    services = forms.MultipleChoiceField(
        label=_("services offered"), choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    agreement_categories = forms.MultipleChoiceField(
        label=_("categories the agreement allows"), choices=Category.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Recipient
        fields = [
            "kind", "organisation", "unit", "name_ru", "name_en", "region", "active", "services", "phone", "email",
            "address", "hours", "agreement_reference", "agreement_categories",
        ]  # fmt: skip

    def clean_agreement_categories(self):
        return [c for c in CATEGORIES if c in self.cleaned_data["agreement_categories"]]


# -- the rights and contacts sheet -------------------------------------------------------------------------------------
class RightsSheetForm(PlausibleInputMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language of the sheet"), choices=RightsSheet.Language.choices)
