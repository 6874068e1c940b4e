"""Every API error in one shape (API.md, Conventions)::

    {"detail": "...", "errors": {"field": ["message", ...], "non_field_errors": [...]}}

- 400: DRF and Django ``ValidationError`` (including the dict errors services raise); nested
  serializer errors are flattened to dotted keys (``members.1.role``).
- 401/403/404: DRF's own, reshaped.
- 409: ``core.errors.Conflict`` (a conflict of interest, an invalid state transition).
- 412: ``core.errors.PreconditionFailed`` (a stale ``If-Match``); carries the current ``ETag``.
- Anything else: logged with its traceback and answered 500 with no detail, so nothing
  internal leaks to the caller.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db.models import ProtectedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.errors import Conflict, PreconditionFailed

logger = logging.getLogger("councilcase.api")

DJANGO_NON_FIELD_KEY = "__all__"


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with the current state of the record."
    default_code = "conflict"


class PreconditionFailedError(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "This record has changed since you last read it."
    default_code = "precondition_failed"

    def __init__(self, detail=None, *, current_version=None):
        super().__init__(detail)
        self.current_version = current_version


def flatten_errors(data, prefix: str = "") -> dict[str, list[str]]:
    """Serializer errors (dicts, lists, nested) as ``{"dotted.field": [messages]}``."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(data, dict):
        flat: dict[str, list[str]] = {}
        for key, value in data.items():
            key = non_field if key in (DJANGO_NON_FIELD_KEY, non_field) and not prefix else key
            for name, messages in flatten_errors(
                value, f"{prefix}.{key}" if prefix else key
            ).items():
                flat.setdefault(name, []).extend(messages)
        return flat
    if isinstance(data, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in data):
            return {prefix or non_field: [str(item) for item in data]} if data else {}
        flat = {}
        for index, item in enumerate(data):
            if not item:
                continue  # a valid item in a list of nested serializers
            name = f"{prefix}.{index}" if prefix else str(index)
            if not isinstance(item, dict | list | tuple):
                name = prefix or non_field
            for key, messages in flatten_errors(item, name).items():
                flat.setdefault(key, []).extend(messages)
        return flat
    return {prefix or non_field: [str(data)]}


def error_body(detail: str, errors: dict | None = None, **extra) -> dict:
    return {"detail": detail, "errors": errors or {}, **extra}


def summarise(errors: dict[str, list[str]]) -> str:
    messages = [(field, message) for field, items in errors.items() for message in items]
    if len(messages) == 1:
        field, message = messages[0]
        if field == api_settings.NON_FIELD_ERRORS_KEY:
            return message
        return f"{field}: {message}"
    return "The request has errors: see the messages for each field."


def _translate(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Conflict):
        error = ConflictError(exc.message, code=exc.code)
        error.conflict_code = exc.code
        return error
    if isinstance(exc, PreconditionFailed):
        return PreconditionFailedError(exc.message, current_version=exc.current_version)
    if isinstance(exc, ProtectedError):
        return ConflictError("Other records still refer to this one.", code="protected")
    return exc


def exception_handler(exc, context):
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return _server_error(exc, context)

    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        response.data = error_body(summarise(errors), errors)
        return response

    data = response.data
    detail = data.get("detail") if isinstance(data, dict) else None
    extra = {}
    if isinstance(exc, ConflictError):
        extra["code"] = getattr(exc, "conflict_code", "conflict")
    if isinstance(exc, PreconditionFailedError) and exc.current_version is not None:
        extra["current_version"] = exc.current_version
        response["ETag"] = f'"{exc.current_version}"'
    response.data = error_body(str(detail) if detail is not None else str(data), **extra)
    return response


def _server_error(exc, context):
    """Log the failure and tell the caller nothing about it beyond the fact."""
    request = context.get("request")
    logger.error("Unhandled error in the API", exc_info=exc)
    set_rollback()
    # Lets Django's error reporting (and the test client, which re-raises) see the exception.
    got_request_exception.send(sender=None, request=getattr(request, "_request", request))
    return Response(
        error_body("Something went wrong on our side. It has been logged."),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
