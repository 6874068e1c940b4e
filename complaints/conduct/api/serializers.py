"""Conduct complaints as API.md names them (Complaints). Field names are the contract.

What a caller sees depends on who they are (complaints.conduct.permissions.access): those who
see a complaint in full get every field; the complainant its progress and outcome (no stage
owners, no warnings); the subject, once told, what they were told (no description, incidents,
evidence or warnings). Hidden fields are present and empty, so the shape never changes.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import permissions, selectors
from ..choices import ComplaintCategory, ProtectedCharacteristic, StageOutcome
from ..models import Complaint, ComplaintStage

PARTY_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["member", "officer"]},
        "id": {"type": "integer"},
    },
    "required": ["type", "id"],
}


def party(person) -> dict | None:
    if person is None:
        return None
    return {"type": "member" if person._meta.model_name == "member" else "officer", "id": person.pk}


@extend_schema_field(PARTY_SCHEMA)
class PartyField(serializers.Field):
    """``{"type": "member"|"officer", "id": N}``, resolved among the caller's council's
    members and officers (another council's id is not found, like one that does not exist)."""

    default_error_messages = {
        "shape": 'Give {"type": "member" or "officer", "id": a number}.',
        "not_found": "There is no such member or officer.",
    }

    def to_representation(self, value):
        return party(value)

    def to_internal_value(self, data):
        if not isinstance(data, dict) or data.get("type") not in ("member", "officer"):
            self.fail("shape")
        viewer = getattr(self.context.get("request"), "user", None)
        found = selectors.party_for(viewer, data["type"], data.get("id"))
        if found is None:
            self.fail("not_found")
        return found


class ComplaintIncidentSerializer(serializers.Serializer):
    occurred_on = serializers.DateField(help_text="When it happened (YYYY-MM-DD).")
    description = serializers.CharField(help_text="What happened.")


class ComplaintStageSerializer(serializers.ModelSerializer):
    """One stage the complaint has reached."""

    owner = serializers.SerializerMethodField(help_text="{type, id}; null when hidden or none.")

    class Meta:
        model = ComplaintStage
        fields = [
            "sequence",
            "name",
            "owner",
            "opened_at",
            "due_date",
            "closed_at",
            "outcome",
            "substituted",
        ]

    @extend_schema_field({**PARTY_SCHEMA, "nullable": True})
    def get_owner(self, stage):
        if self.context.get("access") != permissions.FULL:
            return None
        return party(stage.owner)


class ComplaintSerializer(serializers.ModelSerializer):
    """A conduct complaint. Created by ``POST`` (a concern raised by a member or officer, as
    themselves); it moves along its route through the actions."""

    complainant = PartyField(
        required=False, help_text="Defaults to the caller; the Monitoring Officer may name another."
    )
    subject = PartyField(help_text="Who the complaint is about.")
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ComplaintCategory.choices), allow_empty=False
    )
    protected_characteristic = serializers.ChoiceField(
        choices=ProtectedCharacteristic.choices,
        required=False,
        allow_blank=True,
        help_text="For discrimination: the Equality Act 2010 protected characteristic.",
    )
    incidents = ComplaintIncidentSerializer(many=True, required=False)
    cited_clauses = serializers.SerializerMethodField(help_text="Clause ids.")
    route = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The route's id.")
    route_kind = serializers.CharField(source="route.kind", read_only=True)
    current_stage = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(
        help_text="For the Monitoring Officer: harassment with fewer than two incidents, "
        "possible victimisation."
    )
    evidence = serializers.SerializerMethodField()
    access = serializers.SerializerMethodField(
        help_text="How much of the complaint the caller sees: full, complainant or subject."
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "complainant",
            "subject",
            "categories",
            "protected_characteristic",
            "description",
            "incidents",
            "cited_clauses",
            "route",
            "route_kind",
            "current_stage",
            "stages",
            "status",
            "outcome",
            "outcome_note",
            "warnings",
            "evidence",
            "raised_at",
            "subject_notified_at",
            "access",
            "version",
        ]
        read_only_fields = [
            "reference",
            "status",
            "outcome",
            "outcome_note",
            "raised_at",
            "subject_notified_at",
            "version",
        ]

    def get_validators(self):
        return []

    def _access(self, complaint) -> str | None:
        cache = self.context.setdefault("_access", {})
        if complaint.pk not in cache:
            viewer = getattr(self.context.get("request"), "user", None)
            cache[complaint.pk] = permissions.access(viewer, complaint)
        return cache[complaint.pk]

    def to_representation(self, complaint):
        data = super().to_representation(complaint)
        level = self._access(complaint)
        if level == permissions.SUBJECT:
            data.update(description="", incidents=[], evidence=[], outcome_note="")
        if level != permissions.FULL:
            data["warnings"] = []
        return data

    def get_access(self, complaint) -> str | None:
        return self._access(complaint)

    def get_cited_clauses(self, complaint) -> list[int]:
        return [citation.clause_id for citation in complaint.citations.all()]

    def _stage_context(self, complaint) -> dict:
        return {**self.context, "access": self._access(complaint)}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "name": {"type": "string"},
                "owner": {**PARTY_SCHEMA, "nullable": True},
                "opened_at": {"type": "string", "format": "date-time"},
                "due_date": {"type": "string", "format": "date"},
            },
        }
    )
    def get_current_stage(self, complaint):
        stage = next((s for s in complaint.stages.all() if s.closed_at is None), None)
        if stage is None:
            return None
        data = ComplaintStageSerializer(stage, context=self._stage_context(complaint)).data
        return {key: data[key] for key in ("name", "owner", "opened_at", "due_date")}

    @extend_schema_field(ComplaintStageSerializer(many=True))
    def get_stages(self, complaint):
        return ComplaintStageSerializer(
            complaint.stages.all(), many=True, context=self._stage_context(complaint)
        ).data

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    )
    def get_warnings(self, complaint):
        return [
            {"code": warning.code, "message": warning.message}
            for warning in selectors.warnings_for(complaint)
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_evidence(self, complaint):
        from django.urls import reverse

        return [
            {
                "id": item.pk,
                "name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "url": reverse("complaint-evidence-file", args=[complaint.pk, item.pk]),
            }
            for item in complaint.evidence.all()
        ]


class ComplaintEscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why it goes to the next stage.")


class ComplaintRerouteSerializer(serializers.Serializer):
    route = serializers.IntegerField(help_text="The id of one of the council's routes.")
    reason = serializers.CharField(help_text="Why it is re-routed.")


class ComplaintResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=StageOutcome.choices, help_text="One of the current stage's allowed outcomes."
    )
    note = serializers.CharField(required=False, allow_blank=True)


class ComplaintCiteSerializer(serializers.Serializer):
    clauses = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        help_text="Clause ids of the protocol version in force on an incident's date.",
    )


class ComplaintWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class ComplaintInvestigatorSerializer(serializers.Serializer):
    officer = serializers.IntegerField(help_text="An officer id.")


class ComplaintEvidenceSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPG, PNG, Word (.docx) or text; at most 10 MB.")


class ComplaintHistorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()
    detail = serializers.JSONField()


class ComplaintViewLogSerializer(serializers.Serializer):
    viewer = serializers.IntegerField(source="viewer_id")
    name = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    via = serializers.CharField()

    def get_name(self, view) -> str:
        return view.viewer.full_name or view.viewer.email
