"""How long a step or a due item marked done may be taken back: by who marked it, for UNDO_MINUTES (a setting)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def undo_open_until(done_at: datetime) -> datetime:
    """The moment after which a mark made at `done_at` can no longer be taken back."""
    return done_at + timedelta(minutes=settings.UNDO_MINUTES)


def may_undo(*, done_at: datetime | None, done_by_id, user, now: datetime | None = None) -> bool:
    """Whether `user` may still take back a mark made at `done_at` by `done_by_id`."""
    if done_at is None or done_by_id is None or done_by_id != user.pk:
        return False
    return (now or timezone.now()) <= undo_open_until(done_at)


def refuse_undo_unless_allowed(*, done_at: datetime | None, done_by_id, actor) -> None:
    """Raise ValidationError, in the user's language, when `actor` may not take the mark back (any more)."""
    if done_by_id != actor.pk:
        raise ValidationError(_("Only the person who marked it done can undo it."))
    if not may_undo(done_at=done_at, done_by_id=done_by_id, user=actor):
        raise ValidationError(
            _("It is too late to undo: a mark stays once {minutes} minutes have passed.").format(
                minutes=settings.UNDO_MINUTES
            )
        )
