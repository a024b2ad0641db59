"""Forms of the referral pages; validation messages in the user's language."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from accounts.models import Unit
from accounts.validators import CLOCK_TOLERANCE
from cases.forms import DateTimeInput
from cases.reasons import REASON_MAX_LENGTH

from .models import CATEGORIES, Category, HotlineCall, Recipient, RightsSheet, Service, ServiceUpdate


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
