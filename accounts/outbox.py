"""The outbox's delivery channels: how a row of each channel is delivered and how a failed attempt is retried.

accounts delivers its own channels (in-app, e-mail); a higher app registers the others when it is ready (referrals
registers "webhook"), so accounts never imports it. A handler raises DeliveryFailed to say how an attempt failed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


class DeliveryFailed(Exception):
    """An attempt failed: `error` names it (a class name or a reply code, never personal data); a permanent failure is
    not retried; `retry_after` (seconds) puts the next attempt no earlier than that; `detail` is handed to the
    channel's `after_attempt` (what the attempt log keeps)."""

    def __init__(
        self, error: str, *, permanent: bool = False, retry_after: float | None = None, detail: Any = None
    ) -> None:
        super().__init__(error)
        self.error = error
        self.permanent = permanent
        self.retry_after = retry_after
        self.detail = detail


@dataclass(frozen=True)
class AttemptOutcome:
    """What became of one attempt, for the channel's `after_attempt` (called in the transaction that saves it)."""

    succeeded: bool
    error: str = ""
    permanent: bool = False
    detail: Any = None


@dataclass(frozen=True)
class Channel:
    """How one channel is delivered: `deliver(message)` returns a detail for `after_attempt` or raises;
    `retry_delay(attempts)` is the wait in seconds after that many failed attempts; `max_attempts()` ends it."""

    deliver: Callable[[Any], Any]
    retry_delay: Callable[[int], float]
    max_attempts: Callable[[], int]
    after_attempt: Callable[[Any, AttemptOutcome], None] | None = field(default=None)


_channels: dict[str, Channel] = {}


def register_channel(name: str, channel: Channel) -> None:
    """Say how rows of a channel are delivered (again for the same name: the later one is kept)."""
    _channels[name] = channel


def channel_of(name: str) -> Channel | None:
    return _channels.get(name)


def retry_schedule(delays: Sequence[float], *, jitter: float = 0.0) -> Callable[[int], float]:
    """A retry delay from a fixed schedule (the last delay repeats), each spread by ± `jitter` (0.1: ±10 %)."""

    def delay(attempts: int) -> float:
        base = delays[min(max(attempts, 1), len(delays)) - 1]
        return base * (1 + random.uniform(-jitter, jitter)) if jitter else base  # noqa: S311 - spreading, not secrecy

    return delay
