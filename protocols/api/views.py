"""Protocols, their versions and clauses over REST (API.md, Protocols).

Thin: each viewset declares its model, token scope (``protocols``) and selector, and each
write calls one service. Scoping, ETags, pagination and the error shape come from
``core.api.viewsets``. Who may change protocols is asked before the body is read (a refused
caller gets 403 whatever they sent), and again by the service.
"""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.api.schema import ErrorSerializer
from core.api.viewsets import CouncilScopedReadOnlyViewSet, CouncilScopedViewSet

from .. import permissions, selectors, services
from ..choices import VersionStatus
from ..models import Clause, Protocol, ProtocolVersion
from .serializers import (
    AdoptSerializer,
    ClauseSerializer,
    ImportSerializer,
    ProtocolSerializer,
    VersionSerializer,
)

ACTION_RESPONSES = {200: VersionSerializer, 409: ErrorSerializer}


def _positive_int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ValidationError({name: ["Give the id of a record (a whole number)."]})
    return number


def versions_with_clauses(viewer):
    """The versions ``viewer`` may see, each with its clauses in document order prefetched:
    two queries for any page of versions, whatever their length."""
    clauses = Clause.objects.order_by("order").defer("search_vector")
    return selectors.versions_for(viewer).prefetch_related(Prefetch("clauses", queryset=clauses))


class ProtocolViewSet(CouncilScopedViewSet):
    """The council's protocols, each with the versions the caller may see. Importing a
    document adds a draft version (``POST .../import/``)."""

    model = Protocol
    scope_resource = permissions.SCOPE
    selector = selectors.protocols_for
    serializer_class = ProtocolSerializer
    cursor_ordering = ("id",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def has_write_permission(self, request) -> bool:
        return permissions.may_change_protocols(request.user)

    def create_record(self, *, council, by, data):
        return services.create_protocol(council=council, by=by, title=data.get("title", ""))

    def update_record(self, *, instance, by, expected_version, data):
        if "title" not in data:
            return instance
        return services.update_protocol(
            protocol=instance, by=by, title=data["title"], expected_version=expected_version
        )

    @extend_schema(
        summary="Import a protocol document as a new draft version",
        description="Pasted `text` (JSON or form) or a multipart `file` (plain text, Markdown "
        "or .docx), optional `label` and `start_marker`. Answers the new draft version with "
        "the `anomalies` to check. A document that cannot be imported answers 400 and "
        "creates nothing.",
        request={
            "application/json": ImportSerializer,
            "multipart/form-data": ImportSerializer,
        },
        responses={201: VersionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="import", url_name="import")
    def import_document(self, request, pk=None):
        protocol = self.get_object()
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data.get("file")
        start_marker = body.validated_data.get("start_marker")
        if upload is not None:
            _text, parsed = services.read_document(
                data=upload.read(), filename=upload.name, start_marker=start_marker
            )
        else:
            _text, parsed = services.read_document(
                text=body.validated_data["text"], start_marker=start_marker
            )
        version = services.import_version(
            protocol=protocol,
            by=request.user,
            parsed=parsed,
            label=body.validated_data.get("label"),
            source_name=upload.name if upload is not None else "",
            start_marker=start_marker,
            field="file" if upload is not None else "text",
        )
        found = versions_with_clauses(request.user).get(pk=version.pk)
        return Response(VersionSerializer(found).data, status=status.HTTP_201_CREATED)


class VersionViewSet(mixins.UpdateModelMixin, CouncilScopedReadOnlyViewSet):
    """Versions of the council's protocols with their clauses (drafts only for those who may
    change protocols). Versions are created by importing a document into a protocol; they
    move through consultation to adoption by the actions, and adopting one supersedes the
    version in force before it. Clauses of an adopted version never change."""

    model = ProtocolVersion
    scope_resource = permissions.SCOPE
    # In the change feed (core.events) as protocol-versions, read with protocols:read:
    # created on import, status_changed when consulted on, adopted or superseded. To tokens
    # only: drafts are not for every person of the council.
    feed_resource = "protocol-versions"
    selector = versions_with_clauses
    serializer_class = VersionSerializer
    cursor_ordering = ("id",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def has_write_permission(self, request) -> bool:
        return permissions.may_change_protocols(request.user)

    def get_queryset(self):
        versions = super().get_queryset()
        if self.action != "list":
            return versions
        protocol = _positive_int(self.request.query_params.get("protocol"), "protocol")
        if protocol is not None:
            versions = versions.filter(protocol_id=protocol)
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in VersionStatus.values:
                raise ValidationError(
                    {"status": [f"Choose one of: {', '.join(VersionStatus.values)}."]}
                )
            versions = versions.filter(status=wanted)
        return versions

    @extend_schema(
        parameters=[
            OpenApiParameter("protocol", OpenApiTypes.INT, description="A protocol id."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=VersionStatus.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Change a version's label or next review date")
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        record = services.update_version(
            version=serializer.instance,
            by=self.request.user,
            expected_version=self.expected_version(),
            **data,
        )
        serializer.instance = self.reload(record)

    @extend_schema(
        summary="Send a draft out for consultation", request=None, responses=ACTION_RESPONSES
    )
    @action(detail=True, methods=["post"])
    def consult(self, request, pk=None):
        version = services.consult_on_version(
            version=self.get_object(), by=request.user, expected_version=self.expected_version()
        )
        return self.object_response(version)

    @extend_schema(
        summary="Take a version back from consultation to draft",
        request=None,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="withdraw-consultation")
    def withdraw_consultation(self, request, pk=None):
        version = services.withdraw_from_consultation(
            version=self.get_object(), by=request.user, expected_version=self.expected_version()
        )
        return self.object_response(version)

    @extend_schema(
        summary="Record the version's adoption",
        description="It is in force from `adopted_on`; the version in force before it is "
        "superseded on that day. `next_review_on` defaults to a year later.",
        request=AdoptSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        version = self.get_object()
        body = AdoptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.adopt_version(
            version=version,
            by=request.user,
            expected_version=self.expected_version(),
            **body.validated_data,
        )
        return self.object_response(version)

    @extend_schema(
        summary="Compare this version with another, clause by clause",
        description="Clauses are matched by number: `added` (in this version only), "
        "`removed` (in `against` only) and `changed` (heading or text differ; `before` is "
        "the clause in `against`).",
        parameters=[
            OpenApiParameter(
                "against", OpenApiTypes.INT, required=True, description="A version id."
            )
        ],
        responses=inline_serializer(
            "VersionDiff",
            {
                "version": serializers.IntegerField(),
                "against": serializers.IntegerField(),
                "added": serializers.ListField(child=serializers.DictField()),
                "removed": serializers.ListField(child=serializers.DictField()),
                "changed": serializers.ListField(child=serializers.DictField()),
                "unchanged": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        version = get_object_or_404(selectors.versions_for(request.user), pk=pk)
        against_id = _positive_int(request.query_params.get("against"), "against")
        if against_id is None:
            raise ValidationError({"against": ["Give the id of the version to compare with."]})
        against = get_object_or_404(selectors.versions_for(request.user), pk=against_id)
        comparison = selectors.compare_versions(version, against)

        def clause(found):
            return {"number": found.number, "heading": found.heading, "text": found.text}

        return Response(
            {
                "version": version.pk,
                "against": against.pk,
                "added": [clause(found) for found in comparison.added],
                "removed": [clause(found) for found in comparison.removed],
                "changed": [
                    {**clause(change.after), "before": clause(change.before)}
                    for change in comparison.changed
                ],
                "unchanged": comparison.unchanged,
            }
        )


class ClauseViewSet(CouncilScopedReadOnlyViewSet):
    """Clauses of the versions the caller may see. With ``search``, a full-text search
    (PostgreSQL, English: words, "phrases", or, -not), best match first, each with its
    matched words highlighted; narrowed by ``version`` or ``protocol``."""

    model = Clause
    scope_resource = permissions.SCOPE
    feed_resource = "clauses"
    serializer_class = ClauseSerializer
    cursor_ordering = ("id",)
    http_method_names = ["get", "head", "options"]
    search_page_size = 20
    search_max_page_size = 100

    @staticmethod
    def selector(viewer):
        return (
            selectors.clauses_for(viewer)
            .annotate(parent_number=F("parent__number"))
            .defer("search_vector")
        )

    def _narrowing(self) -> dict:
        params = self.request.query_params
        narrowing = {}
        for name in ("version", "protocol"):
            value = _positive_int(params.get(name), name)
            if value is not None:
                narrowing[name] = value
        return narrowing

    def get_queryset(self):
        clauses = super().get_queryset()
        if self.action != "list":
            return clauses
        narrowing = self._narrowing()
        if "version" in narrowing:
            clauses = clauses.filter(version_id=narrowing["version"])
        if "protocol" in narrowing:
            clauses = clauses.filter(version__protocol_id=narrowing["protocol"])
        return clauses

    @extend_schema(
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="What to look for."),
            OpenApiParameter("version", OpenApiTypes.INT, description="A version id."),
            OpenApiParameter("protocol", OpenApiTypes.INT, description="A protocol id."),
            OpenApiParameter(
                "offset", OpenApiTypes.INT, description="With search: results to skip."
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        text = (request.query_params.get("search") or "").strip()
        if not text:
            return super().list(request, *args, **kwargs)
        return self._search(request, text)

    def _search(self, request, text: str) -> Response:
        """Ranked results, a page at a time by offset (a ranking has no stable keyset): one
        row more than the page is read to learn whether another follows; no COUNT(*)."""
        narrowing = self._narrowing()
        params = request.query_params
        size = min(
            _positive_int(params.get("page_size"), "page_size") or self.search_page_size,
            self.search_max_page_size,
        )
        offset = params.get("offset") or "0"
        if not offset.isdigit():
            raise ValidationError({"offset": ["Give a whole number of results to skip."]})
        offset = int(offset)
        clauses = selectors.search_clauses(request.user, text).annotate(
            parent_number=F("parent__number")
        )
        if "version" in narrowing:
            clauses = clauses.filter(version_id=narrowing["version"])
        if "protocol" in narrowing:
            clauses = clauses.filter(version__protocol_id=narrowing["protocol"])
        rows = list(clauses[offset : offset + size + 1])
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "offset", offset + size) if len(rows) > size else None
        previous_url = None
        if offset:
            previous = max(offset - size, 0)
            previous_url = (
                replace_query_param(url, "offset", previous)
                if previous
                else remove_query_param(url, "offset")
            )
        return Response(
            {
                "next": next_url,
                "previous": previous_url,
                "results": self.get_serializer(
                    selectors.with_headlines(rows[:size], text), many=True
                ).data,
            }
        )
