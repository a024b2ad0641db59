"""The code form of the two-factor steps."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"[0-9]{6}")
# The longest a code may be typed: six digits with spaces or a dash between groups ("123 456").
CODE_MAX_LENGTH = 12


class CodeForm(forms.Form):
    """Six digits from the authenticator app; spaces and a dash between them are dropped. Anything else (letters,
    hidden characters, NUL, a long string) is a form error, never checked against the device."""

    code = forms.CharField(
        label=_("6-digit code"),
        max_length=CODE_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not CODE_PATTERN.fullmatch(code):
            raise forms.ValidationError(_("Enter the 6 digits your authenticator app shows."), code="format")
        return code
