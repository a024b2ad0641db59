"""API-wide behaviour: JSON errors, never HTML and never a 500 for bad input."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, parsers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


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


class SchemaReadPermission(BasePermission):
    """The OpenAPI schema and its documentation page: public in DEBUG or the demo (settings.API_SCHEMA_PUBLIC); in
    production only for a signed-in user or a request with a usable API key."""

    def has_permission(self, request, view) -> bool:
        from accounts.api_auth import ApiKeyAuth  # here: the settings name this module before the apps load

        if settings.API_SCHEMA_PUBLIC:
            return True
        return bool(request.user and request.user.is_authenticated) or isinstance(request.auth, ApiKeyAuth)
