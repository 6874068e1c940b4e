"""OpenAPI generation: every operation documents the error shape and the ETag contract.

The project's ``DEFAULT_SCHEMA_CLASS``. On top of drf-spectacular's inference it adds, per
operation, the responses the API can give beyond the happy path (400, 401, 403, 404, 412, and
429 with ``Retry-After`` where API tokens are accepted, all in the one error shape of
``core.api.exceptions``), the ``If-Match`` request header on writes to a single versioned
record and the ``ETag`` response header on single-record responses. Operations that accept
tokens name the scope they need in their description.
A view that can answer 409 declares it with ``@extend_schema(responses={409: ErrorSerializer})``.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from core.api.etags import IF_MATCH_HEADER, ETagMixin


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field (dotted for nested fields); `non_field_errors` for the "
        "request as a whole. Empty when the error is not about the input.",
    )
    code = serializers.CharField(required=False, help_text="For 409: what kind of conflict.")
    current_version = serializers.IntegerField(
        required=False, help_text="For 412: the record's current version (also its ETag)."
    )

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS = {
    "400": "The input is not valid (or If-Match is not an ETag this API issued).",
    "401": "No credentials, or a token that is unknown, revoked or expired.",
    "403": "Signed in, but not allowed to do this (role, or the token's scopes).",
    "404": "Not found, or not visible to the caller (the API never answers 403 for records).",
    "412": "If-Match names a version older than the record's current one.",
    "429": "This API token made too many requests: wait the seconds in Retry-After.",
}
RETRY_AFTER = "Retry-After"
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(openapi.AutoSchema):
    def _is_public(self) -> bool:
        permissions = self.view.get_permissions()
        return bool(permissions) and all(isinstance(p, AllowAny) for p in permissions)

    def _has_path_parameters(self) -> bool:
        return "{" in self.path

    def _returns_versioned_record(self) -> bool:
        if not isinstance(self.view, ETagMixin) or self._is_list_view():
            return False
        serializer = self.get_response_serializers()
        if isinstance(serializer, dict):  # @extend_schema(responses={200: ..., 201: ...})
            serializer = serializer.get(200) or serializer.get(201)
        serializer = force_instance(serializer)
        return isinstance(serializer, serializers.Serializer) and "version" in serializer.fields

    def _is_versioned_object_write(self) -> bool:
        return (
            self.method in ("PUT", "PATCH", "POST")
            and self._has_path_parameters()
            and self._returns_versioned_record()
        )

    def error_statuses(self) -> list[str]:
        statuses = []
        if (
            self.method in UNSAFE_METHODS
            or isinstance(self.view, ETagMixin)
            or self._has_query_parameters()
        ):
            statuses.append("400")
        if not self._is_public():
            statuses += ["401", "403"]
        if self._has_path_parameters():
            statuses.append("404")
        if self._is_versioned_object_write():
            statuses.append("412")
        if self._accepts_tokens():
            statuses.append("429")
        return statuses

    def _has_query_parameters(self) -> bool:
        """A query a view validates can be wrong: 400 (the pagination cursor is never)."""
        return any(
            parameter.get("in") == "query" and parameter.get("name") != "cursor"
            for parameter in self._get_parameters()
        )

    def _accepts_tokens(self) -> bool:
        return not self._is_public() and bool(getattr(self.view, "scope_resource", None))

    def _scope_needed(self) -> str | None:
        resource = getattr(self.view, "scope_resource", None)
        if not resource or self._is_public():
            return None
        access = "write" if self.method in UNSAFE_METHODS else "read"
        return f"{resource}:{access}"

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        scope = self._scope_needed()
        if operation is None or scope is None:
            return operation
        note = f"API tokens need the `{scope}` scope (or `*`)."
        if scope.endswith(":read"):
            note = f"API tokens need the `{scope}` scope (or `{scope[:-5]}:write`, or `*`)."
        description = operation.get("description", "")
        operation["description"] = f"{description}\n\n{note}" if description else note
        return operation

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_versioned_object_write():
            parameters.append(
                OpenApiParameter(
                    IF_MATCH_HEADER,
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description='The record\'s ETag as last read, e.g. "3". If the record has '
                    "changed since, nothing is written and the answer is 412.",
                )
            )
        if self._accepts_tokens():
            parameters.append(
                OpenApiParameter(
                    RETRY_AFTER,
                    int,
                    OpenApiParameter.HEADER,
                    response=["429"],
                    description="Seconds until this token may make requests again.",
                )
            )
        if self._returns_versioned_record():
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    response=["200", "201"],
                    description='The record\'s version as an entity tag, e.g. "3".',
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_statuses():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    code,
                    direction=direction,
                )
        return responses
