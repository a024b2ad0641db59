"""What every form of the project shares."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from .validators import validate_no_hidden_characters, validate_not_before_1900


class PlausibleInputMixin:
    """Refuse hidden characters in every text field and dates before 1900 in every date field, with a field error.

    Put it first among the bases of every form. The upper bound of a date depends on its meaning (an incident never
    lies in the future, a registration may be today), so each form says its own, with its own message; the models keep
    an outer bound for every other path.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):  # one message for NUL and the direction overrides alike
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators.append(validate_no_hidden_characters)
            elif isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(validate_not_before_1900)
