"""Declarations and the conflict check over REST (API.md, Declarations).

Thin: reads through ``relationships.selectors`` (a declaration the caller may not see is not
found, 404), writes through ``relationships.services``.

API tokens are refused on ``/declarations/`` (the viewset names no token scope): the register
is seen by people only — the declarant, and the Monitoring Officer and Chief Executive it is
made to — so no integration reads it, and it stays out of the change feed. The conflict check
accepts tokens with ``conflicts:read``, and only those who assign or route work otherwise.
"""

from __future__ import annotations

import django_filters as filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.principal import is_token_principal
from core.api.schema import ErrorSerializer
from core.api.viewsets import CouncilScopedViewSet
from council import selectors as council_selectors
from council.calendar import local_date

from .. import permissions, selectors, services
from ..choices import DeclarationKind, DeclarationStatus, PartyType
from ..models import Declaration
from .serializers import (
    AdviceSerializer,
    ConflictAnswerSerializer,
    ConflictQuerySerializer,
    DeclarationSerializer,
    DeclarationUpdateSerializer,
    EndSerializer,
)


class DeclarationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=DeclarationKind.choices)
    status = filters.ChoiceFilter(choices=DeclarationStatus.choices)
    person = filters.CharFilter(
        method="filter_person",
        help_text="member:ID or officer:ID: declarations naming them on either side.",
    )
    active_on = filters.DateFilter(
        method="filter_active_on", help_text="Declarations in force on this date (YYYY-MM-DD)."
    )

    class Meta:
        model = Declaration
        fields = []

    def filter_person(self, queryset, name, value):
        reference = selectors.parse_party_reference(value)
        if reference is None:
            raise ValidationError({"person": ["Give member:ID or officer:ID."]})
        return queryset.filter(selectors.involving(reference))

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(selectors.active_on(value))


ACTION_RESPONSES = {200: DeclarationSerializer, 409: ErrorSerializer}


class DeclarationViewSet(CouncilScopedViewSet):
    in_change_feed = False  # confidential: not even that a declaration changed (core.events)
    """Declared relationships. The declarant sees their own; the Monitoring Officer and the
    Chief Executive see the register made to them; everyone else finds nothing (404)."""

    model = Declaration
    selector = selectors.declarations_for
    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilter
    cursor_ordering = ("-id",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def has_write_permission(self, request) -> bool:
        return permissions.may_declare(request.user)

    def get_object(self):
        if getattr(self, "_declaration", None) is None:
            self._declaration = super().get_object()
        return self._declaration

    def _acting_on(self, action_name: str) -> Declaration:
        declaration = self.get_object()
        permissions.require(self.request.user, action_name, declaration)
        return declaration

    def _body(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create_record(self, *, council, by, data):
        return services.submit_declaration(council=council, by=by, **data)

    @extend_schema(
        summary="Correct a declaration's description or dates",
        request=DeclarationUpdateSerializer,
        responses={200: DeclarationSerializer, 409: ErrorSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        declaration = self._acting_on("update")
        data = self._body(DeclarationUpdateSerializer, partial=True)
        declaration = services.update_declaration(
            declaration=declaration,
            by=request.user,
            expected_version=self.expected_version(),
            **data,
        )
        return self.object_response(declaration)

    @extend_schema(
        summary="Acknowledge a declaration made to you", request=None, responses=ACTION_RESPONSES
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        declaration = services.acknowledge_declaration(
            declaration=self._acting_on("acknowledge"),
            by=request.user,
            expected_version=self.expected_version(),
        )
        return self.object_response(declaration)

    @extend_schema(
        summary="Record advice to both parties (protocol 4.6)",
        request=AdviceSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def advice(self, request, pk=None):
        declaration = self._acting_on("advise")
        body = self._body(AdviceSerializer)
        declaration = services.give_advice(
            declaration=declaration,
            by=request.user,
            advice=body["advice"],
            expected_version=self.expected_version(),
        )
        return self.object_response(declaration)

    @extend_schema(
        summary="End a declared relationship", request=EndSerializer, responses=ACTION_RESPONSES
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        declaration = self._acting_on("end")
        body = self._body(EndSerializer)
        declaration = services.end_declaration(
            declaration=declaration,
            by=request.user,
            ended_on=body.get("ended_on"),
            expected_version=self.expected_version(),
        )
        return self.object_response(declaration)


def resolve_party(viewer, reference: tuple[str, int]):
    """The member or officer of the viewer's council named by ``reference``, or None (the
    same for one of another council as for one that does not exist)."""
    kind, pk = reference
    selector = (
        council_selectors.members_for
        if kind == PartyType.MEMBER
        else council_selectors.officers_for
    )
    return selector(viewer).filter(pk=pk).first()


class ConflictCheckView(APIView):
    """``GET /api/v1/conflicts/?a=member:ID&b=officer:ID[&on=DATE]`` → ``{"conflict": bool}``.

    For those who assign or route work only (DESIGN.md, Security decisions); everyone else
    403. Only people of the caller's council can be asked about: anyone else is "not found"
    (400 on the parameter, the same as for an id that does not exist). Every question is
    recorded (``ConflictQuestion``). The Monitoring Officer and the Chief Executive are also
    told which of their declarations cause it; nobody else learns why.
    """

    scope_resource = permissions.CONFLICTS_SCOPE

    def has_read_permission(self, request) -> bool:
        return permissions.may_ask_about_conflicts(request.user)

    @extend_schema(
        summary="Do two people have an active declared relationship on a date?",
        parameters=[
            OpenApiParameter("a", str, required=True, description="member:ID or officer:ID"),
            OpenApiParameter("b", str, required=True, description="member:ID or officer:ID"),
            OpenApiParameter("on", str, description="YYYY-MM-DD (default: today)"),
        ],
        responses={200: ConflictAnswerSerializer},
    )
    def get(self, request):
        query = ConflictQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        viewer = request.user
        if getattr(viewer, "council_id", None) is None:
            raise NotFound("You do not belong to a council.")
        errors, parties = {}, {}
        for name in ("a", "b"):
            parties[name] = resolve_party(viewer, query.validated_data[name])
            if parties[name] is None:
                errors[name] = ["There is no such member or officer in your council."]
        if errors:
            raise ValidationError(errors)
        on = query.validated_data.get("on") or local_date(timezone.now())
        a, b = parties["a"], parties["b"]
        answer = selectors.have_conflict(a, b, on=on)
        services.record_conflict_question(
            council_id=viewer.council_id, by=viewer, a=a, b=b, on=on, answer=answer
        )
        body = {"conflict": answer}
        if (
            answer
            and not is_token_principal(viewer)
            and permissions.may_see_conflict_details(viewer)
        ):
            body["declarations"] = list(
                selectors.declarations_between(viewer, a, b, on=on).values_list("pk", flat=True)
            )
        return Response(body)
