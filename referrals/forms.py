"""Forms of the referral pages; validation messages in the user's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin
from cases.reasons import REASON_MAX_LENGTH

from .models import Service, ServiceUpdate


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
