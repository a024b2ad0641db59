"""What every form of the project shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_no_hidden_characters, validate_not_before_1900

DJANGO_EMPTY_LABEL = BLANK_CHOICE_DASH[0][1]  # "---------", which tells an officer nothing
EMPTY_CHOICE_REQUIRED = _("— choose —")
EMPTY_CHOICE_OPTIONAL = _("— not given —")


class PlausibleInputMixin:
    """Refuse hidden characters in every text field and dates before 1900 in every date field, with a field error;
    give the empty choice of every select a readable label instead of Django's row of dashes.

    Put it first among the bases of every form. The upper bound of a date depends on its meaning (an incident never
    lies in the future, a registration may be today), so each form says its own, with its own message; the models keep
    an outer bound for every other path. A form that means something particular by "nothing chosen" (no officer yet)
    sets its own empty label; only Django's default one is replaced.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):  # one message for NUL and the direction overrides alike
                field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
                field.validators.append(validate_no_hidden_characters)
            elif isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(validate_not_before_1900)
            if isinstance(field, forms.DateTimeField):
                field.to_python = _in_local_time(field)
            _label_the_empty_choice(field)


def _in_local_time(field: forms.DateTimeField):
    """The field's parser, with an aware value moved to the local zone: Django reads ISO 8601 offsets up to ±24 h
    (`2026-11-30T10:00+16:02`), PostgreSQL stores only ±15:59 and would fail the save with a server error."""
    parse = field.to_python

    def to_python(value):
        parsed = parse(value)
        if parsed is None or timezone.is_naive(parsed):
            return parsed
        try:
            return timezone.localtime(parsed)
        except OverflowError as exc:  # 0001-01-01T00:00+16:00 is before year 1 here
            raise ValidationError(field.error_messages["invalid"], code="invalid") from exc

    return to_python


def _label_the_empty_choice(field: forms.Field) -> None:
    """Replace Django's "---------" by "— choose —" (required) or "— not given —" (optional)."""
    readable = EMPTY_CHOICE_REQUIRED if field.required else EMPTY_CHOICE_OPTIONAL
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = readable
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(value == "" and label == DJANGO_EMPTY_LABEL for value, label in choices):
            field.choices = [
                (value, readable if value == "" and label == DJANGO_EMPTY_LABEL else label) for value, label in choices
            ]
