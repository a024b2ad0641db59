"""Refused requests in the personal-data access log (ASVS 16.3.2: failed authorisation is logged).

A selector that resolves one object for a reader (a case, a person, a file, a referral, a rapport…) answers Http404
for a missing object and for one the reader may not see alike. Decorated with `logs_denial`, it also writes one
access-log row, action "denied", when it refuses: who asked, for which kind of object, the id as asked (cleaned and
capped, cases.services.access_log_requested_id), and the object's case when the id names an existing one, so that the
case's heads see the attempt in the case's log. Never what the object holds.

Selectors call one another (a reader's selector calls the user's); only the outermost refusal is written, so that one
refused request is one row, with the reader's address when the outer selector has it.
"""

import functools
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404
from simple_history.models import HistoricalRecords

from accounts.readers import Reader, reader_from

from . import services

logger = logging.getLogger(__name__)

_depth: ContextVar[int] = ContextVar("access_denial_depth", default=0)


def logs_denial(record_type: str, id_argument: str, *, model: str = "", case_path: str = "case_id") -> Callable:
    """Decorate a selector taking `reader=` or `user=` and the object's id as `id_argument=`: its Http404 writes a
    "denied" row (record type `record_type`; the case found through `model` and `case_path` when the id names one).
    """

    def decorate(resolve: Callable) -> Callable:
        @functools.wraps(resolve)
        def wrapper(*args: Any, **kwargs: Any):
            token = _depth.set(_depth.get() + 1)
            try:
                return resolve(*args, **kwargs)
            except Http404:
                if _depth.get() == 1:
                    _record(kwargs, record_type, kwargs.get(id_argument, ""), model, case_path)
                raise
            finally:
                _depth.reset(token)

        return wrapper

    return decorate


def _record(kwargs: dict, record_type: str, requested_id: object, model: str, case_path: str) -> None:
    reader = kwargs.get("reader") or _reader_of(kwargs.get("user"))
    if reader is None:
        return
    try:
        with transaction.atomic():
            services.personal_data_denied_record(
                reader=reader,
                record_type=record_type,
                requested_id=requested_id,
                case_id=_case_of(model, case_path, requested_id),
            )
    except DatabaseError:  # the 404 stands; the failure is told to the operators, without the id
        logger.exception("could not write the access-log row of a refused %s", record_type)


def _reader_of(user) -> Reader | None:
    """The reader behind a selector given only a user: with the address and browser of the request being answered
    (simple-history's middleware keeps it for the thread), when there is one."""
    if user is None:
        return None
    request = getattr(HistoricalRecords.context, "request", None)
    same_user = request is not None and getattr(getattr(request, "user", None), "pk", None) == user.pk
    if same_user and user.pk is not None:
        return _with_user(reader_from(request), user)
    return Reader(user=user)


def _with_user(reader: Reader, user) -> Reader:
    return Reader(user=user, ip_address=reader.ip_address, user_agent=reader.user_agent, api_key=reader.api_key)


def _case_of(model: str, case_path: str, requested_id: object):
    """The case of the object the id names, if it exists (whoever may see it); None for a malformed or unknown id."""
    if not model:
        return None
    try:
        return apps.get_model(model).objects.filter(pk=requested_id).values_list(case_path, flat=True).first()
    except (ValueError, TypeError, ValidationError, DatabaseError):
        return None
