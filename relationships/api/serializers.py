"""Declarations and conflict questions as API.md names them (Declarations). Field names are
the contract.

Serializers check shape and resolve the people named among those of the caller's council (an
id from another council is "not found", like one that does not exist); the rules are in
``relationships.services``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from council import selectors as council_selectors
from council.models import Member, Officer

from .. import permissions
from ..choices import DeclarationKind, DeclarationRecipient, PartyType
from ..models import Declaration
from ..parties import External
from ..selectors import parse_party_reference

PARTY_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": [t.value for t in PartyType]},
        "id": {"type": "integer", "description": "For a member or an officer."},
        "name": {"type": "string", "description": "For someone outside the council."},
        "email": {"type": "string", "description": "For someone outside the council."},
    },
    "required": ["type"],
}


def party_json(party) -> dict:
    if isinstance(party, Member):
        return {"type": PartyType.MEMBER.value, "id": party.pk}
    if isinstance(party, Officer):
        return {"type": PartyType.OFFICER.value, "id": party.pk}
    return {"type": PartyType.EXTERNAL.value, "name": party.name, "email": party.email}


@extend_schema_field(PARTY_SCHEMA)
class PartyField(serializers.Field):
    """``{"type": "member"|"officer", "id": N}`` or ``{"type": "external", "name": ...}``."""

    default_error_messages = {
        "shape": 'Give {{"type": "member"|"officer", "id": N}} or '
        '{{"type": "external", "name": "..."}}.',
        "not_found": "There is no such member or officer in your council.",
        "external_only": "Only members and officers declare relationships.",
    }

    def __init__(self, *, allow_external: bool = True, **kwargs):
        self.allow_external = allow_external
        super().__init__(**kwargs)

    def to_representation(self, value):
        return party_json(value)

    def to_internal_value(self, data):
        if not isinstance(data, dict) or data.get("type") not in PartyType.values:
            self.fail("shape")
        kind = data["type"]
        if kind == PartyType.EXTERNAL:
            if not self.allow_external:
                self.fail("external_only")
            name, email = data.get("name"), data.get("email") or ""
            if not isinstance(name, str) or not isinstance(email, str):
                self.fail("shape")
            if email.strip():
                serializers.EmailField().run_validation(email.strip())
            return External(name=name, email=email)
        pk = data.get("id")
        if isinstance(pk, bool) or not isinstance(pk, int):
            self.fail("shape")
        viewer = getattr(self.context.get("request"), "user", None)
        selector = (
            council_selectors.members_for
            if kind == PartyType.MEMBER
            else council_selectors.officers_for
        )
        found = selector(viewer).filter(pk=pk).first()
        if found is None:
            self.fail("not_found")
        return found


class DeclarationSerializer(serializers.ModelSerializer):
    """A declared relationship (city council protocol 4.5-4.6, 13.1-13.2). Created by
    ``POST``; it changes through ``PATCH`` (description and dates) and the actions
    acknowledge, advice and end."""

    declarant = PartyField(
        allow_external=False,
        required=False,
        help_text="Who declares: yourself by default. The Monitoring Officer may name someone "
        "else, recording it on their behalf.",
    )
    counterpart = PartyField(
        help_text="Who the relationship is with: a member, an officer, or someone outside "
        "the council (an organisation, for an organisation membership)."
    )
    kind = serializers.ChoiceField(choices=DeclarationKind.choices)
    declared_to = serializers.ChoiceField(
        choices=DeclarationRecipient.choices,
        required=False,
        help_text="Defaults to the council's setting; organisation memberships always go to "
        "the Monitoring Officer.",
    )

    class Meta:
        model = Declaration
        fields = [
            "id",
            "declarant",
            "counterpart",
            "kind",
            "declared_to",
            "description",
            "started_on",
            "ended_on",
            "status",
            "advice",
            "submitted_at",
            "acknowledged_at",
            "advice_given_at",
            "version",
        ]
        read_only_fields = [
            "status",
            "advice",
            "submitted_at",
            "acknowledged_at",
            "advice_given_at",
            "version",
        ]

    def to_representation(self, declaration):
        data = super().to_representation(declaration)
        viewer = getattr(self.context.get("request"), "user", None)
        if not permissions.sees_description(viewer, declaration):
            data["description"] = ""  # the counterpart reads the advice, not the declaration
        return data


class DeclarationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Declaration
        fields = ["description", "started_on", "ended_on"]


class AdviceSerializer(serializers.Serializer):
    advice = serializers.CharField(help_text="The advice to both parties (protocol 4.6).")


class EndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(
        required=False, help_text="When the relationship ended (default: today)."
    )


def _party_reference(value: str) -> tuple[str, int]:
    reference = parse_party_reference(value)
    if reference is None:
        raise serializers.ValidationError("Give member:ID or officer:ID.")
    return reference


class ConflictQuerySerializer(serializers.Serializer):
    a = serializers.CharField(help_text="member:ID or officer:ID")
    b = serializers.CharField(help_text="member:ID or officer:ID")
    on = serializers.DateField(required=False, help_text="The date to ask about (default today).")

    def validate_a(self, value):
        return _party_reference(value)

    def validate_b(self, value):
        return _party_reference(value)


class ConflictAnswerSerializer(serializers.Serializer):
    conflict = serializers.BooleanField()
    declarations = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="The Monitoring Officer and the Chief Executive only: the declarations "
        "that cause the conflict.",
    )
