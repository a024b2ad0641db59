"""Per-user rate limits on Django's cache (Redis in production, local memory in tests): a fixed window per scope."""

import time

from django.core.cache import cache


def rate_limit_allows(*, scope: str, user_id: object, limit: int, window_seconds: int) -> bool:
    """Count one more use of `scope` by the user in the current window; False once the count passes `limit`.

    `add` then `incr` are atomic in Redis and in the local-memory cache, so racing requests never both pass the limit.
    A limit of 0 or less means no limit.
    """
    if limit <= 0:
        return True
    window = int(time.time() // window_seconds)
    key = f"rate-limit:{scope}:{user_id}:{window}"
    cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the window's key expired between add and incr: this is its first use
        cache.add(key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit
