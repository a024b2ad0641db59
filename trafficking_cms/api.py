"""API-wide behaviour: JSON errors, never HTML and never a 500 for bad input; a rate limit per caller."""

import math
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.api_auth import ApiKeyAuth
from accounts.readers import client_ip
from accounts.throttle import rate_limit_allows


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering 400 for JSON nested too deep and 413 for a body over the upload limit.

    Python's json module raises RecursionError (not ValueError) on deep nesting, which DRF let through as a 500; and DRF
    reads the body itself, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("JSON parse error - nested too deep.") from exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turn Django validation errors into 400 answers, 404s into a JSON detail, an oversized body into 413."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):  # a form body, read by the CSRF check of a signed-in session
        exc = RequestTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(str(exc))
    return drf_exception_handler(exc, context)


# -- throttling --------------------------------------------------------------------------------------------------------
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
