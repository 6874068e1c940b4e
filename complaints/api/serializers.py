"""Member enquiries as API.md names them (Enquiries). Field names are the contract.

Serializers validate shape and resolve references among the records the caller may see; the
rules (deadlines, transitions, who may act) are in ``complaints.services`` and
``complaints.permissions``, which the views call.
"""

from __future__ import annotations

from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import CouncilSlugField, ScopedPrimaryKeyRelatedField
from core.api.serializers import PlannedRepresentation
from council import selectors as council_selectors
from council.models import Directorate, Member, Officer

from .. import permissions
from ..choices import EscalationTarget
from ..models import NO_RESPONSE_DUE, Enquiry, EnquiryEvent


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 timestamp that must carry its offset (API.md: timestamps with offset).

    A time without one is ambiguous around the clock changes, and the deadline counted from it
    could move by a day, so it is refused rather than guessed."""

    default_error_messages = {
        "naive": "Give the time with its offset from UTC, e.g. 2026-12-18T10:00:00Z.",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


class ConstituentSerializer(PlannedRepresentation, serializers.Serializer):
    """The person the enquiry is about. Personal data: kept out of the audit trail's values
    and anonymised when the council's retention period ends."""

    name = serializers.CharField(
        source="constituent_name", max_length=200, required=False, allow_blank=True
    )
    email = serializers.EmailField(
        source="constituent_email", max_length=254, required=False, allow_blank=True
    )
    phone = serializers.CharField(
        source="constituent_phone", max_length=40, required=False, allow_blank=True
    )
    address = serializers.CharField(source="constituent_address", required=False, allow_blank=True)


class EnquirySerializer(PlannedRepresentation, serializers.ModelSerializer):
    """A member's enquiry with its deadlines. Created by ``POST``; its state changes through
    the actions (acknowledge, holding-response, respond, assign, escalate, close)."""

    council = CouncilSlugField()
    member = ScopedPrimaryKeyRelatedField(
        selector=council_selectors.members_for,
        model=Member,
        help_text="The member whose enquiry it is (a member raising their own gives their id).",
    )
    constituent = ConstituentSerializer(source="*", required=False)
    directorate = ScopedPrimaryKeyRelatedField(
        selector=council_selectors.directorates_for,
        model=Directorate,
        allow_null=True,
        required=False,
        help_text="The service (directorate) it concerns.",
    )
    assigned_officer = ScopedPrimaryKeyRelatedField(
        selector=council_selectors.officers_for,
        model=Officer,
        allow_null=True,
        required=False,
        help_text="Set when logging; afterwards use the assign action.",
    )
    received_at = AwareDateTimeField(
        required=False,
        help_text="When the council received it, with offset; not in the future. "
        "Defaults to now. The due dates are counted from it.",
    )
    response_due = serializers.SerializerMethodField(
        help_text="The due date of the clock now running (the first response until a holding "
        "response or, under a single standard, an acknowledgement; then the full response). "
        "Null once answered. The list's default order."
    )
    escalated_to = serializers.ChoiceField(
        choices=EscalationTarget.choices,
        allow_blank=True,
        read_only=True,
        help_text="To whom it was escalated; blank if it never was.",
    )
    is_overdue = serializers.BooleanField(
        read_only=True,
        help_text="Whether the running clock's due date has passed (overdue from 00:00 "
        "Europe/London the day after it).",
    )

    class Meta:
        model = Enquiry
        fields = [
            "id",
            "reference",
            "council",
            "member",
            "constituent",
            "subject",
            "description",
            "directorate",
            "assigned_officer",
            "channel",
            "received_at",
            "status",
            "first_response_due",
            "full_response_due",
            "response_due",
            "acknowledged_at",
            "holding_response_at",
            "holding_reason",
            "responded_at",
            "response",
            "closed_at",
            "is_overdue",
            "escalation_level",
            "escalated_at",
            "escalated_to",
            "version",
        ]
        read_only_fields = [
            "reference",
            "status",
            "first_response_due",
            "full_response_due",
            "acknowledged_at",
            "holding_response_at",
            "holding_reason",
            "responded_at",
            "response",
            "closed_at",
            "escalation_level",
            "escalated_at",
            "escalated_to",
            "version",
        ]
        extra_kwargs = {
            "reference": {"help_text": "Unique in the council, e.g. ENQ-2026-000123."},
        }

    def get_validators(self):
        # The reference is the services' to issue and the database's to keep unique.
        return []

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_response_due(self, enquiry) -> str | None:
        if enquiry.response_due == NO_RESPONSE_DUE:
            return None
        return enquiry.response_due.isoformat()


class HoldingResponseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="Why the full response will take longer (city council protocol 10.3.1)."
    )


class RespondSerializer(serializers.Serializer):
    response = serializers.CharField(help_text="The answer sent to the member.")


class AssignSerializer(serializers.Serializer):
    officer = ScopedPrimaryKeyRelatedField(
        selector=council_selectors.officers_for,
        model=Officer,
        help_text="An active officer of the council.",
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Assign despite a declared conflict of interest, and why (the Monitoring "
        "Officer, the Chief Executive or a director only).",
    )


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why it is escalated.")


class EnquiryEventSerializer(serializers.ModelSerializer):
    """One entry on an enquiry's timeline: what was done, by whom, when."""

    by_name = serializers.SerializerMethodField(help_text="Who acted, for display.")

    class Meta:
        model = EnquiryEvent
        fields = ["id", "at", "action", "by", "actor", "by_name", "note", "detail"]
        extra_kwargs = {
            "by": {"help_text": "The account that acted (a person), or null."},
            "actor": {"help_text": "user:<id>, token:<id>, or the process that acted."},
            "note": {"help_text": "What was said: the reasons, the response, the grounds."},
        }

    def to_representation(self, event):
        data = super().to_representation(event)
        if event.detail.get("conflict_overridden") and not permissions.may_see_conflict_details(
            getattr(self.context.get("request"), "user", None)
        ):
            data["note"] = ""  # the override's reason may describe the relationship
        return data

    def get_by_name(self, event) -> str:
        if event.by is not None:
            return event.by.full_name or event.by.email
        if event.actor.startswith("token:"):
            return "An integration (API token)"
        return "Councilcase"
