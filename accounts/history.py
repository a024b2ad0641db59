"""Who made a change and why, for django-simple-history: set on the instance before it is saved or deleted."""

from django.db.models import Model


def set_history(instance: Model, *, actor, reason: str) -> None:
    """Name the actor and the reason of the change the next save or delete of `instance` records."""
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]


def name_in_language(*, ky: str, ru: str, en: str, language: str | None) -> str:
    """Pick the name in the active language, falling back to Kyrgyz."""
    return {"ru": ru, "en": en}.get((language or "ky")[:2]) or ky
