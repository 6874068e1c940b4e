"""A council's protocols, their versions and their numbered clauses (DESIGN.md, Protocols).

Protocol → versions (draft, consultation, adopted, superseded) → a tree of clauses (``10``,
``10.3``, ``10.3.1``, ``10.3(a)``). A version is imported whole from the document the council
already has (protocols.services.import_version) and its clauses never change once it is
adopted: the services refuse it, and so does the database (a trigger, migration
0002_immutable_clauses), because complaints cite clauses of the version in force on an
incident date and a citation must keep meaning what it meant.

State changes happen only in ``protocols.services``; the invariants they keep are stated
again here as constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Lower

from core.models import PlainLoading, VersionedModel
from council.models import Council

from .choices import SETTLED_STATUSES, UNSETTLED_STATUSES, VersionStatus

# The text search configuration of clause search: the councils' protocols are in English.
SEARCH_CONFIG = "english"


class Protocol(VersionedModel):
    """One of a council's protocols, e.g. its Protocol for Member/Officer Relations. Its
    content lives in its versions; the title is unique in the council (case aside), which is
    how ``manage.py import_protocol --title`` finds it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="protocols")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(
                "council", Lower("title"), name="protocol_title_unique_in_council"
            ),
            models.CheckConstraint(condition=models.Q(title__regex=r"\S"), name="protocol_titled"),
        ]

    def __str__(self):
        return self.title


class ProtocolVersion(VersionedModel):
    """One version of a protocol: a draft, out for consultation, adopted (in force) or
    superseded by a later adoption.

    In force from ``adopted_on`` until ``superseded_on`` (the day the next version was
    adopted; open while adopted), so exactly one version is in force on any date after the
    first adoption (``protocols.selectors.version_in_force``). ``next_review_on`` is when the
    council should review it (a year after adoption unless the council set otherwise);
    the Monitoring Officer is reminded 30 days before and when it is overdue
    (protocols.reviews). ``anomalies`` are what the importer asked a person to check
    (numbering gaps, repeats, glitches), with their lines in the source document.
    """

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=100)
    status = models.CharField(
        max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    adopted_on = models.DateField(null=True, blank=True)
    approving_body = models.CharField(
        max_length=200, blank=True, help_text="Who adopted it, e.g. Full Council."
    )
    superseded_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    anomalies = models.JSONField(default=list, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    start_marker = models.CharField(max_length=500, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["protocol_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=VersionStatus.values),
                name="protocol_version_status_valid",
            ),
            # One version in force at a time: adopting one supersedes the one before.
            models.UniqueConstraint(
                fields=["protocol"],
                condition=models.Q(status=VersionStatus.ADOPTED),
                name="protocol_one_version_adopted",
            ),
            models.UniqueConstraint(
                fields=["protocol", "label"], name="protocol_version_label_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(label__regex=r"\S"), name="protocol_version_labelled"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=sorted(SETTLED_STATUSES),
                    adopted_on__isnull=False,
                    approving_body__regex=r"\S",
                )
                | models.Q(
                    status__in=sorted(UNSETTLED_STATUSES),
                    adopted_on__isnull=True,
                    approving_body="",
                ),
                name="protocol_version_adopted_by_a_body_on_a_date",
            ),
            models.CheckConstraint(
                condition=models.Q(status=VersionStatus.SUPERSEDED, superseded_on__isnull=False)
                | (
                    ~models.Q(status=VersionStatus.SUPERSEDED)
                    & models.Q(superseded_on__isnull=True)
                ),
                name="protocol_version_superseded_on_a_date",
            ),
            models.CheckConstraint(
                condition=models.Q(superseded_on__isnull=True)
                | models.Q(superseded_on__gte=models.F("adopted_on")),
                name="protocol_version_superseded_after_adopted",
            ),
        ]
        indexes = [
            # The daily review reminders: adopted versions by review date.
            models.Index(
                fields=["next_review_on"],
                condition=models.Q(status=VersionStatus.ADOPTED),
                name="protocol_version_review_due",
            ),
        ]

    def __str__(self):
        return f"{self.protocol.title}: {self.label}"

    @property
    def is_settled(self) -> bool:
        """Adopted or superseded: its clauses never change."""
        return self.status in SETTLED_STATUSES


class Clause(PlainLoading, models.Model):
    """One numbered clause of a version: ``number`` (``10.3.1``, ``10.3(a)``), its heading and
    text, its place in the document (``order``) and in the tree (``parent``), and the line of
    the source document it was read from.

    ``search_vector`` is computed by PostgreSQL from the number and heading (weight A) and the
    text (weight B), stored and GIN-indexed for clause search (protocols.selectors).
    Immutable once its version is adopted (see the module docstring).
    """

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="clauses")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(max_length=40)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    order = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    line = models.PositiveIntegerField()
    search_vector = models.GeneratedField(
        expression=SearchVector("number", "heading", weight="A", config=SEARCH_CONFIG)
        + SearchVector("text", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="clause_number_unique"),
            models.UniqueConstraint(fields=["version", "order"], name="clause_order_unique"),
            models.CheckConstraint(condition=models.Q(number__regex=r"\S"), name="clause_numbered"),
        ]
        indexes = [GinIndex(fields=["search_vector"], name="clause_search")]

    def __str__(self):
        return f"{self.number} {self.heading}".strip()
