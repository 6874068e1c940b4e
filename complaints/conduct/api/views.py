"""Conduct complaints over REST (API.md, Complaints).

Thin: the viewset declares its model, token scope and selector, and each write calls one
service. Scoping, ETags, pagination and the error shape come from ``core.api.viewsets``. A
complaint the caller may not see answers 404; one they see but may not act on, 403 (asked
before the body is read); an action its status does not allow, 409. Complaints are
confidential: API tokens and service superusers see none, and every read of one complaint is
recorded (``services.record_view``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.principal import is_token_principal
from core.api.schema import ErrorSerializer
from core.api.viewsets import CouncilScopedViewSet

from .. import permissions, selectors, services
from ..models import Complaint
from .filters import ComplaintFilter
from .serializers import (
    ComplaintCiteSerializer,
    ComplaintEscalateSerializer,
    ComplaintEvidenceSerializer,
    ComplaintHistorySerializer,
    ComplaintInvestigatorSerializer,
    ComplaintRerouteSerializer,
    ComplaintResolveSerializer,
    ComplaintSerializer,
    ComplaintViewLogSerializer,
    ComplaintWithdrawSerializer,
)

ACTION_RESPONSES = {200: ComplaintSerializer, 409: ErrorSerializer}


class ComplaintViewSet(CouncilScopedViewSet):
    in_change_feed = False  # confidential: not even that a complaint changed (core.events)
    """Conduct complaints between members and officers, newest first.

    Everyone sees only the complaints they may see (complaints.conduct.permissions): the
    Monitoring Officer and deputies, stage owners and investigators in full; the complainant
    its progress; the subject what they were told. Members and officers raise concerns as
    themselves.
    """

    model = Complaint
    scope_resource = "complaints"
    selector = selectors.complaints_for
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    cursor_ordering = ("-raised_at", "-id")
    http_method_names = ["get", "post", "head", "options"]

    def has_write_permission(self, request) -> bool:
        return not is_token_principal(request.user) and permissions.may_raise(request.user)

    def get_object(self):
        if getattr(self, "_complaint", None) is None:
            self._complaint = super().get_object()
        return self._complaint

    def _acting_on(self, action_name: str) -> Complaint:
        complaint = self.get_object()
        permissions.require(self.request.user, action_name, complaint)
        return complaint

    def _body(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.record_views(
            complaint_ids=[row["id"] for row in response.data.get("results", [])],
            council_id=getattr(request.user, "council_id", None),
            viewer=request.user,
            via="api",
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        complaint = self.get_object()
        services.record_view(complaint=complaint, viewer=request.user, via="api")
        return self.object_response(complaint)

    def create_record(self, *, council, by, data):
        return services.raise_complaint(council=council, by=by, **data)

    # Actions ---------------------------------------------------------------------------------

    @extend_schema(
        summary="Escalate to the route's next stage",
        request=ComplaintEscalateSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        complaint = self._acting_on("escalate")
        body = self._body(ComplaintEscalateSerializer)
        complaint = services.escalate_complaint(
            complaint=complaint,
            by=request.user,
            reason=body["reason"],
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Re-route (the Monitoring Officer)",
        request=ComplaintRerouteSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def reroute(self, request, pk=None):
        complaint = self._acting_on("reroute")
        if not permissions.is_monitoring_officer_of(request.user, complaint.council_id):
            raise PermissionDenied("Only the Monitoring Officer re-routes a complaint.")
        body = self._body(ComplaintRerouteSerializer)
        route = selectors.routes_for(request.user).filter(pk=body["route"]).first()
        if route is None:
            raise ValidationError({"route": ["Choose one of this council's routes."]})
        complaint = services.reroute_complaint(
            complaint=complaint,
            by=request.user,
            route=route,
            reason=body["reason"],
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Decide the complaint at its current stage",
        request=ComplaintResolveSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        complaint = self._acting_on("resolve")
        body = self._body(ComplaintResolveSerializer)
        complaint = services.resolve_complaint(
            complaint=complaint,
            by=request.user,
            outcome=body["outcome"],
            note=body.get("note", ""),
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Cite protocol clauses (of the version in force on an incident's date)",
        request=ComplaintCiteSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def cite(self, request, pk=None):
        complaint = self._acting_on("cite")
        body = self._body(ComplaintCiteSerializer)
        clauses, unknown = selectors.clauses_named(complaint, body["clauses"])
        if unknown:
            raise ValidationError(
                {
                    "clauses": [
                        f"There is no clause {pk} in this council's protocols." for pk in unknown
                    ]
                }
            )
        complaint = services.cite_clauses(
            complaint=complaint,
            by=request.user,
            clauses=clauses,
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Withdraw the complaint (the complainant)",
        request=ComplaintWithdrawSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        complaint = self._acting_on("withdraw")
        body = self._body(ComplaintWithdrawSerializer)
        complaint = services.withdraw_complaint(
            complaint=complaint,
            by=request.user,
            reason=body.get("reason", ""),
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Close a resolved complaint (the Monitoring Officer)",
        request=None,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        complaint = services.close_complaint(
            complaint=self._acting_on("close"),
            by=request.user,
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Tell the subject of the complaint", request=None, responses=ACTION_RESPONSES
    )
    @action(detail=True, methods=["post"], url_path="notify-subject")
    def notify_subject(self, request, pk=None):
        complaint = services.notify_subject(
            complaint=self._acting_on("notify_subject"),
            by=request.user,
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Assign an investigator (the Monitoring Officer)",
        request=ComplaintInvestigatorSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="assign-investigator")
    def assign_investigator(self, request, pk=None):
        complaint = self._acting_on("assign_investigator")
        body = self._body(ComplaintInvestigatorSerializer)
        officer = selectors.party_for(request.user, "officer", body["officer"])
        if officer is None:
            raise ValidationError({"officer": ["There is no such officer."]})
        complaint = services.assign_investigator(
            complaint=complaint,
            by=request.user,
            officer=officer,
            expected_version=self.expected_version(),
        )
        return self.object_response(complaint)

    @extend_schema(
        summary="Add a file of evidence",
        request={"multipart/form-data": ComplaintEvidenceSerializer},
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def evidence(self, request, pk=None):
        complaint = self._acting_on("attach")
        body = self._body(ComplaintEvidenceSerializer)
        services.add_evidence(complaint=complaint, by=request.user, file=body["file"])
        return self.object_response(complaint, status_code=201)

    @extend_schema(
        summary="The stage history, oldest first (those who see it in full)",
        responses=ComplaintHistorySerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, pk=None):
        complaint = self.get_object()
        if permissions.access(request.user, complaint) != permissions.FULL:
            raise PermissionDenied("The stage history is for those handling the complaint.")
        rows = selectors.history_of(complaint).order_by("id")
        return Response(ComplaintHistorySerializer(rows, many=True).data)

    @extend_schema(
        summary="Who looked at the complaint, newest first (the Monitoring Officer)",
        responses=ComplaintViewLogSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def views(self, request, pk=None):
        complaint = self.get_object()
        if not permissions.may_see_view_log(request.user, complaint):
            raise PermissionDenied("Who looked at a complaint is for the Monitoring Officer.")
        rows = selectors.views_of(complaint).order_by("-id")[:500]
        return Response(ComplaintViewLogSerializer(rows, many=True).data)
