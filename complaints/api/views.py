"""Member enquiries over REST (API.md, Enquiries).

Thin: the viewset declares its model, token scope and selector, and each write calls one
service. Scoping, ETags, pagination and the error shape come from ``core.api.viewsets``.
Who may act on an enquiry is ``complaints.permissions``: the API asks it before reading the
body, so a caller who may see an enquiry but not act on it gets 403 whatever they sent, and
the service asks again under the row lock.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from core.api.schema import ErrorSerializer
from core.api.viewsets import CouncilScopedViewSet

from .. import permissions, selectors, services
from ..models import Enquiry
from .filters import EnquiryFilter
from .serializers import (
    AssignSerializer,
    EnquiryEventSerializer,
    EnquirySerializer,
    EscalateSerializer,
    HoldingResponseSerializer,
    RespondSerializer,
)

# Fields a PATCH may repeat but not change: they fix the deadlines, or have their own action.
FIXED_ON_UPDATE = {
    "member": "The member of an enquiry cannot change: log a new enquiry.",
    "channel": "How the enquiry arrived cannot change.",
    "received_at": "When the enquiry was received cannot change: its deadlines count from it.",
    "assigned_officer": "Use the assign action.",
}


def _constituent(data: dict) -> dict:
    """Take the constituent's ``constituent_*`` values out of validated data."""
    return {
        name: data.pop(f"constituent_{name}")
        for name in services.CONSTITUENT_FIELDS
        if f"constituent_{name}" in data
    }


def _same(current, given) -> bool:
    return getattr(current, "pk", current) == getattr(given, "pk", given)


ACTION_RESPONSES = {200: EnquirySerializer, 409: ErrorSerializer}


class EnquiryViewSet(CouncilScopedViewSet):
    """Member enquiries: the casework of the council's members, most urgent first.

    Everyone sees only the enquiries they may see (complaints.permissions); any other answers
    404. Officers log enquiries on a member's behalf; members raise their own through the
    portal channel. Changes of state are the actions, each recorded on the timeline.
    """

    model = Enquiry
    scope_resource = "enquiries"
    serializer_class = EnquirySerializer
    filterset_class = EnquiryFilter
    cursor_ordering = ("response_due", "id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        # References are shown by id: only the council (its slug, its calendar) is joined.
        return selectors.enquiries_for(self.request.user, related=("council",))

    def has_write_permission(self, request) -> bool:
        return permissions.may_work_on_enquiries(request.user)

    def get_object(self):
        # Read once per request: the permission check and the action share it.
        if getattr(self, "_enquiry", None) is None:
            self._enquiry = super().get_object()
        return self._enquiry

    def _acting_on(self, action_name: str) -> Enquiry:
        enquiry = self.get_object()
        permissions.require(self.request.user, action_name, enquiry)
        return enquiry

    def _body(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # Logging and correcting ------------------------------------------------------------------

    def create_record(self, *, council, by, data):
        constituent = _constituent(data)
        received_at = data.pop("received_at", None) or timezone.now()
        return services.log_enquiry(
            council=council, by=by, constituent=constituent, received_at=received_at, **data
        )

    @extend_schema(
        summary="Correct an enquiry's subject, description, directorate or constituent",
        responses={200: EnquirySerializer, 409: ErrorSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        permissions.require(request.user, "update", self.get_object())
        return super().partial_update(request, *args, **kwargs)

    def update_record(self, *, instance, by, expected_version, data):
        constituent = _constituent(data)
        errors = {}
        for name, message in FIXED_ON_UPDATE.items():
            if name in data and not _same(getattr(instance, name), data.pop(name)):
                errors[name] = [message]
        if errors:
            raise ValidationError(errors)
        return services.update_enquiry(
            enquiry=instance,
            by=by,
            expected_version=expected_version,
            constituent=constituent,
            **data,
        )

    # Actions ---------------------------------------------------------------------------------

    @extend_schema(summary="Acknowledge a new enquiry", request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        enquiry = services.acknowledge_enquiry(
            enquiry=self._acting_on("acknowledge"),
            by=request.user,
            expected_version=self.expected_version(),
        )
        return self.object_response(enquiry)

    @extend_schema(
        summary="Send a holding response: the enquiry needs investigation, and why",
        request=HoldingResponseSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="holding-response")
    def holding_response(self, request, pk=None):
        enquiry = self._acting_on("holding_response")
        body = self._body(HoldingResponseSerializer)
        enquiry = services.send_holding_response(
            enquiry=enquiry,
            by=request.user,
            reason=body["reason"],
            expected_version=self.expected_version(),
        )
        return self.object_response(enquiry)

    @extend_schema(
        summary="Give the member the response",
        request=RespondSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        enquiry = self._acting_on("respond")
        body = self._body(RespondSerializer)
        enquiry = services.respond_to_enquiry(
            enquiry=enquiry,
            by=request.user,
            response=body["response"],
            expected_version=self.expected_version(),
        )
        return self.object_response(enquiry)

    @extend_schema(
        summary="Assign the enquiry to an officer",
        description="409 when the officer has a declared conflict of interest with the "
        "enquiry, unless `override_reason` is given by someone allowed to override.",
        request=AssignSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        enquiry = self._acting_on("assign")
        body = self._body(AssignSerializer)
        enquiry = services.assign_enquiry(
            enquiry=enquiry,
            by=request.user,
            officer=body["officer"],
            override_reason=body.get("override_reason"),
            expected_version=self.expected_version(),
        )
        return self.object_response(enquiry)

    @extend_schema(
        summary="Escalate the enquiry",
        description="A member who remains dissatisfied escalates to the Chief Executive or "
        "the Director of Legal and Governance (per the council's service standard); staff "
        "escalate to the director of the service first.",
        request=EscalateSerializer,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        enquiry = self._acting_on("escalate")
        body = self._body(EscalateSerializer)
        enquiry = services.escalate_enquiry(
            enquiry=enquiry,
            by=request.user,
            reason=body["reason"],
            expected_version=self.expected_version(),
        )
        return self.object_response(enquiry)

    @extend_schema(summary="Close an answered enquiry", request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        enquiry = services.close_enquiry(
            enquiry=self._acting_on("close"),
            by=request.user,
            expected_version=self.expected_version(),
        )
        return self.object_response(enquiry)

    @extend_schema(
        summary="The enquiry's timeline, oldest first",
        responses=EnquiryEventSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=EnquiryEventSerializer,
        filterset_class=None,
        cursor_ordering=("id",),
    )
    def timeline(self, request, pk=None):
        page = self.paginate_queryset(selectors.timeline_for(self.get_object()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
