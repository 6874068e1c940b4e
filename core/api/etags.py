"""The one ETag / If-Match mechanism for the API (API.md, Conventions).

Every ``VersionedModel`` exposes ``version`` in its JSON. A response carrying one such object
(retrieve, create, update, detail actions) gets ``ETag: "<version>"``; a client sends it back
as ``If-Match`` on ``PUT``/``PATCH``/actions, the view passes it to the service as
``expected_version`` and the service answers ``PreconditionFailed`` (412) if the row has moved
on (``core.versioning.check_version``). An ``If-Match`` that is not an ETag this API issued
answers 400 before anything is written; ``If-Match: *`` asks for no version check.
"""

from __future__ import annotations

import re

from rest_framework import exceptions

IF_MATCH_HEADER = "If-Match"
_ENTITY_TAG = re.compile(r'^(?:W/)?"(?P<version>\d{1,10})"$|^(?P<bare>\d{1,10})$')


def etag_for(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | None:
    """The version named by an ``If-Match`` header, or None when absent or ``*``.

    Accepts ``"3"``, weak ``W/"3"`` and a bare ``3``. Anything else, including a list of
    several tags, is a ValidationError (400).
    """
    if value is None:
        return None
    value = value.strip()
    if value == "*":
        return None
    match = _ENTITY_TAG.match(value)
    if match is None:
        raise exceptions.ValidationError(
            {
                IF_MATCH_HEADER: [
                    'If-Match must be one ETag from this API, e.g. "3" (the record\'s version).'
                ]
            }
        )
    return int(match.group("version") or match.group("bare"))


class ETagMixin:
    """For API views: reads ``If-Match`` up front and stamps ``ETag`` on single objects."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # After authentication and permissions, before any write: garbage is a 400, not a 412.
        self.if_match_version = parse_if_match(request.headers.get(IF_MATCH_HEADER))

    def expected_version(self) -> int | None:
        """The version the caller last read (from ``If-Match``), for ``expected_version=``."""
        return getattr(self, "if_match_version", None)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if (
            200 <= response.status_code < 300
            and isinstance(data, dict)
            and isinstance(data.get("version"), int)
            and not response.has_header("ETag")
        ):
            response["ETag"] = etag_for(data["version"])
        return response
