"""Forms of the triage queue and "my due items": give an item to someone, the head's decision on International
Cooperation. Marking an item done uses the case page's form (screening.forms.ObligationDoneForm)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import EMPTY_CHOICE_REQUIRED, PlausibleInputMixin

# The decision's note goes into the item's note (300 characters) after "Inform International Cooperation: ".
DECISION_NOTE_MAX_LENGTH = 200


class AssignForm(PlausibleInputMixin, forms.Form):
    """A person of the unit who may hold the item (the triage rows list them)."""

    assignee = forms.TypedChoiceField(label=_("Give to"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", EMPTY_CHOICE_REQUIRED), *((p.pk, p.name) for p in candidates)]


class IntlDecisionForm(PlausibleInputMixin, forms.Form):
    """The head decides whether the International Cooperation Directorate is informed, and says why."""

    inform = forms.TypedChoiceField(
        label=_("Inform the International Cooperation Directorate?"),
        choices=[("yes", _("Yes: the Directorate gets a referral and access to the case")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason and instructions"),
        max_length=DECISION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
