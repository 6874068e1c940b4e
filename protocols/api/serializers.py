"""Protocols, versions and clauses as API.md names them (Protocols). Field names are the
contract: Protocol ``id, title, versions``; Version ``id, protocol, label, status,
adopted_on, next_review_on, clauses`` (a tree of ``number, heading, text, children``);
clause search results ``number, text, version``.

Serializers validate shape; the rules (who may change, transitions, immutability) are in
``protocols.services``, which the views call.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Clause, Protocol, ProtocolVersion
from ..selectors import clause_tree, highlight


class VersionSummarySerializer(serializers.ModelSerializer):
    """A version as its protocol lists it (its clauses are on the version itself)."""

    class Meta:
        model = ProtocolVersion
        fields = ["id", "label", "status", "adopted_on", "superseded_on", "next_review_on"]


class ProtocolSerializer(serializers.ModelSerializer):
    """One of the council's protocols. ``versions``: those the caller may see, oldest first
    (drafts only for those who may change the protocol)."""

    versions = VersionSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Protocol
        fields = ["id", "title", "versions", "version"]
        read_only_fields = ["version"]

    def get_validators(self):
        # Title uniqueness (case aside) is the service's to say, and the database's to keep.
        return []


class AnomalySerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="The line of the imported document.")
    kind = serializers.CharField(help_text="gap, repeat, out_of_order, inferred_section or glitch.")
    message = serializers.CharField()


class ClauseNodeSerializer(serializers.Serializer):
    """One clause of the tree, with its children."""

    number = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()
    line = serializers.IntegerField(help_text="Its line in the imported document.")
    children = serializers.SerializerMethodField()

    def to_representation(self, node):
        clause = node.clause
        return {
            "number": clause.number,
            "heading": clause.heading,
            "text": clause.text,
            "line": clause.line,
            "children": [self.to_representation(child) for child in node.children],
        }

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_children(self, node):  # for the schema; to_representation does the work
        return []


class VersionSerializer(serializers.ModelSerializer):
    """A version of a protocol with its clauses as a tree. Its status changes through the
    actions (consult, withdraw-consultation, adopt); its label and next review date by
    PATCH."""

    clauses = serializers.SerializerMethodField(
        help_text="The clauses as a tree: number, heading, text, line, children."
    )
    anomalies = AnomalySerializer(
        many=True, read_only=True, help_text="What the importer asked a person to check."
    )

    class Meta:
        model = ProtocolVersion
        fields = [
            "id",
            "protocol",
            "label",
            "status",
            "adopted_on",
            "approving_body",
            "superseded_on",
            "next_review_on",
            "anomalies",
            "clauses",
            "created_at",
            "version",
        ]
        read_only_fields = [
            "protocol",
            "status",
            "adopted_on",
            "approving_body",
            "superseded_on",
            "anomalies",
            "created_at",
            "version",
        ]
        extra_kwargs = {
            "next_review_on": {
                "help_text": "When the council should review it (a year after adoption unless "
                "set); the Monitoring Officer is reminded 30 days before and when overdue."
            },
        }

    def get_validators(self):
        return []

    @extend_schema_field(ClauseNodeSerializer(many=True))
    def get_clauses(self, version) -> list:
        node = ClauseNodeSerializer()
        return [node.to_representation(root) for root in clause_tree(version.clauses.all())]


class ImportSerializer(serializers.Serializer):
    """A protocol document to import as a new draft version: pasted ``text`` or an uploaded
    ``file`` (plain text, Markdown or .docx)."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False, allow_empty_file=True)
    label = serializers.CharField(required=False, allow_blank=True, max_length=100)
    start_marker = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="A line at which the protocol begins; everything before it is skipped.",
    )

    def validate(self, attrs):
        if attrs.get("file") is None and not (attrs.get("text") or "").strip():
            raise serializers.ValidationError(
                {"text": ["Give the protocol's text, or upload its document as file."]}
            )
        if attrs.get("file") is not None and (attrs.get("text") or "").strip():
            raise serializers.ValidationError({"file": ["Give text or a file, not both."]})
        return attrs


class AdoptSerializer(serializers.Serializer):
    adopted_on = serializers.DateField(help_text="The date the approving body adopted it.")
    approving_body = serializers.CharField(max_length=200, help_text="E.g. Full Council.")
    next_review_on = serializers.DateField(
        required=False, allow_null=True, help_text="Default: a year after adoption."
    )


class ClauseSerializer(serializers.ModelSerializer):
    """A clause, with the version it belongs to. In a search, ranked best first, with the
    matched words highlighted in ``headline`` (HTML: ``<mark>``, everything else escaped)."""

    protocol = serializers.IntegerField(source="version.protocol_id", read_only=True)
    version_label = serializers.CharField(source="version.label", read_only=True)
    version_status = serializers.CharField(source="version.status", read_only=True)
    parent = serializers.SerializerMethodField()
    rank = serializers.SerializerMethodField()
    headline = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = [
            "id",
            "number",
            "heading",
            "text",
            "version",
            "version_label",
            "version_status",
            "protocol",
            "parent",
            "line",
            "rank",
            "headline",
        ]

    def get_parent(self, clause) -> str | None:
        """The number of the enclosing clause."""
        parent = getattr(clause, "parent_number", None)
        return parent

    def get_rank(self, clause) -> float | None:
        rank = getattr(clause, "rank", None)
        return None if rank is None else round(float(rank), 6)

    def get_headline(self, clause) -> str | None:
        if getattr(clause, "text_headline", None) is None:
            return None
        heading = highlight(clause.heading_headline)
        text = highlight(clause.text_headline)
        return f"{heading} — {text}" if heading and text else heading or text
