"""Plausible input, one definition for every path that stores it: models, forms and services.

Dates a person enters lie between 1 January 1900 and today in the project's time zone (Asia/Bishkek); text carries no
NUL byte (PostgreSQL refuses it: a 500) and no bidirectional override or isolate, which can make a name, a number or a
file name read differently from what is stored.
"""

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1900, 1, 1)
# The database CHECK constraints' bound: 1 January 1900 began at this moment in the earliest time zone (UTC+14), so no
# time the validators accept in any zone is refused by the database.
EARLIEST_MOMENT_ANYWHERE = datetime(1900, 1, 1, tzinfo=dt_timezone(timedelta(hours=14)))
# A time typed "now" on an officer's computer may run a few minutes ahead of the server.
CLOCK_TOLERANCE = timedelta(minutes=5)
# A date may be tomorrow: the day has already begun in some time zone.
DATE_TOLERANCE = timedelta(days=1)

# NUL, LRE, RLE, PDF, LRO, RLO (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069).
HIDDEN_CHARACTERS = "\x00" + "".join(map(chr, range(0x202A, 0x202F))) + "".join(map(chr, range(0x2066, 0x206A)))
_WITHOUT_HIDDEN_CHARACTERS = str.maketrans(dict.fromkeys(HIDDEN_CHARACTERS))

TOO_EARLY = _("The date is too early: give {earliest} or a later date.")
IN_THE_FUTURE = _("The date cannot be in the future.")
HIDDEN_CHARACTERS_FOUND = _(
    "The text contains hidden control characters (a null byte or a text-direction override); remove them."
)


def _local(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def validate_not_before_1900(value: date | datetime | None) -> None:
    """Refuse a date, or a time in the project's time zone, before 1 January 1900."""
    if value is None:
        return
    if isinstance(value, datetime):
        earliest = datetime(1900, 1, 1, tzinfo=timezone.get_default_timezone())
        too_early = _local(value) < earliest
    else:
        too_early = value < EARLIEST_DATE
    if too_early:
        raise ValidationError(TOO_EARLY.format(earliest=EARLIEST_DATE.strftime("%d.%m.%Y")), code="before_1900")


def validate_not_in_the_future(value: date | datetime | None) -> None:
    """Refuse a date after tomorrow in the project's time zone, or a time more than a few minutes ahead."""
    if value is None:
        return
    if isinstance(value, datetime):
        in_the_future = _local(value) > timezone.now() + CLOCK_TOLERANCE
    else:
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        in_the_future = value > today + DATE_TOLERANCE
    if in_the_future:
        raise ValidationError(IN_THE_FUTURE, code="in_the_future")


PLAUSIBLE_DATE = [validate_not_before_1900, validate_not_in_the_future]


def validate_no_hidden_characters(value: str | None) -> None:
    """Refuse text with a NUL byte or a bidirectional override or isolate character."""
    if value and any(character in HIDDEN_CHARACTERS for character in value):
        raise ValidationError(HIDDEN_CHARACTERS_FOUND, code="hidden_characters")


PLAIN_TEXT = [validate_no_hidden_characters]


def strip_hidden_characters(value: str) -> str:
    """Remove the hidden characters from text nobody typed (a file name, a browser's name) instead of refusing it."""
    return value.translate(_WITHOUT_HIDDEN_CHARACTERS)
