"""The API's rate limit per caller (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES): an API key, a signed-in user, or else
the client's address, at most API_THROTTLE_RATE requests per window."""

import math
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

from .api_auth import ApiKeyAuth
from .readers import client_ip
from .throttle import rate_limit_allows

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
PERIODS |= {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """`"600/min"` → (600, 60): requests per window of seconds; None (no limit) for an empty rate or 0 requests."""
    if not rate or not rate.strip():
        return None
    count, _, period = rate.strip().partition("/")
    try:
        limit, window = int(count), PERIODS[period.strip().lower()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"API_THROTTLE_RATE must read like 600/min (per s, min, hour or day), not {rate!r}"
        ) from None
    return (limit, window) if limit > 0 else None


class ApiCallerThrottle(BaseThrottle):
    """At most API_THROTTLE_RATE requests per window for each caller: an API key (by its prefix), a signed-in user
    (by id), or else the client's address. Counted with accounts.throttle, so a cache (Redis) outage counts in each
    process instead of failing the request. Over the limit DRF answers 429 JSON with Retry-After: the window's rest."""

    scope = "api"

    def allow_request(self, request, view) -> bool:
        rate = parse_rate(getattr(settings, "API_THROTTLE_RATE", None))
        if rate is None:
            return True
        limit, window = rate
        if rate_limit_allows(scope=self.scope, user_id=self.get_ident(request), limit=limit, window_seconds=window):
            return True
        self.retry_after = window - time.time() % window
        return False

    def get_ident(self, request) -> str:
        if isinstance(request.auth, ApiKeyAuth):
            return f"key:{request.auth.key.prefix}"
        if request.user is not None and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{client_ip(request) or 'unknown'}"

    def wait(self) -> float | None:
        return math.ceil(self.retry_after) if hasattr(self, "retry_after") else None
