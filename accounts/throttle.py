"""Per-user rate limits on Django's cache (Redis in production, local memory in tests): a fixed window per scope."""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

# Counts kept in this process while the shared cache does not answer: a limit per process is kept, not none, and the
# page does not fail because Redis is down.
_fallback = LocMemCache("rate-limit-fallback", {"MAX_ENTRIES": 10_000})


def rate_limit_allows(*, scope: str, user_id: object, limit: int, window_seconds: int) -> bool:
    """Count one more use of `scope` by the user in the current window; False once the count passes `limit`.

    `add` then `incr` are atomic in Redis and in the local-memory cache, so racing requests never both pass the limit.
    A limit of 0 or less means no limit.
    """
    if limit <= 0:
        return True
    window = int(time.time() // window_seconds)
    key = f"rate-limit:{scope}:{user_id}:{window}"
    try:
        count = _count(cache, key, window_seconds)
    except Exception as exc:  # the shared cache (Redis) is down: count in this process instead of failing the page
        logger.warning("rate-limit cache unavailable (%s); counting in this process", type(exc).__name__)
        count = _count(_fallback, key, window_seconds)
    return count <= limit


def _count(store, key: str, window_seconds: int) -> int:
    store.add(key, 0, timeout=window_seconds + 1)
    try:
        return store.incr(key)
    except ValueError:  # the window's key expired between add and incr: this is its first use
        store.add(key, 1, timeout=window_seconds + 1)
        return 1


# ---------------------------------------------------------------------------
# Failures in a row (API keys): counted from the first failure for a window, cleared by a success
# ---------------------------------------------------------------------------
def failures_reached(*, scope: str, ident: str, limit: int) -> bool:
    """Whether `ident` has failed `limit` times in a row in `scope` within the current window (0: never)."""
    if limit <= 0:
        return False
    key = f"failures:{scope}:{ident}"
    try:
        count = cache.get(key, 0)
    except Exception as exc:  # the shared cache (Redis) is down: this process's count
        logger.warning("failure-count cache unavailable (%s); counting in this process", type(exc).__name__)
        count = _fallback.get(key, 0)
    return count >= limit


def failure_record(*, scope: str, ident: str, window_seconds: int) -> int:
    """Count one more failure of `ident`; the window runs from its first failure. Return the count."""
    key = f"failures:{scope}:{ident}"
    try:
        return _count(cache, key, window_seconds - 1)  # _count keeps the key its timeout + 1 s
    except Exception as exc:
        logger.warning("failure-count cache unavailable (%s); counting in this process", type(exc).__name__)
        return _count(_fallback, key, window_seconds - 1)


def failures_clear(*, scope: str, ident: str) -> None:
    """Forget the failures of `ident` (after a success: the count is of failures in a row)."""
    key = f"failures:{scope}:{ident}"
    for store in (cache, _fallback):
        try:
            store.delete(key)
        except Exception as exc:
            logger.warning("failure-count cache unavailable (%s)", type(exc).__name__)
