"""Translatable labels of history subjects (kept here so makemessages finds them)."""

from django.utils.translation import gettext_noop

HISTORY_LABELS = (
    gettext_noop("Case"),
    gettext_noop("Person"),
    gettext_noop("Legal representative"),
    gettext_noop("Suspect"),
    gettext_noop("Exploitation site"),
    gettext_noop("Attachment"),
    gettext_noop("Officer's step"),
)
