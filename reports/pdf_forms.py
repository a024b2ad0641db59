"""The one input of the rapport's PDF: the language to make it in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PlausibleInputMixin

from .models import Rapport


class RapportPdfForm(PlausibleInputMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language of the document"), choices=Rapport.Language.choices)
