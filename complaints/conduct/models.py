"""Conduct complaints between members and officers, their routes, stages and stage history
(DESIGN.md, Conduct complaints; city council protocol 15; taunton-deane-protocol-report-2010.txt,
harassment protocol).

A complaint has a complainant and a subject (each a member or an officer), categories, dated
incidents, cited protocol clauses (of the version in force on an incident's date) and runs
along a route: the council's ordered stages for who complains about whom, rows that the
Monitoring Officer edits (``Route`` → ``RouteStage``). Each stage a complaint reaches is a
``ComplaintStage`` with an owner resolved against the organisation when it opens, never the
complainant or the subject — which the database states again, on columns denormalised from
the complaint. Everything that happens is kept in ``ComplaintHistory``, which a trigger keeps
append-only (migration 0005_conduct_history_append_only), and every look at a complaint is a
``ComplaintView`` row the Monitoring Officer can read.

These models live in the complaints app (complaints.models imports them), so their tables
are ``complaints_*``. State changes happen only in ``complaints.conduct.services``.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from core.models import PlainLoading, VersionedModel
from council.models import Council, Member, Officer

from .choices import (
    ComplaintCategory,
    ComplaintStatus,
    HistoryAction,
    OwnerRule,
    PartyType,
    ProtectedCharacteristic,
    RouteKind,
    StageOutcome,
)

__all__ = [
    "CitedClause",
    "Complaint",
    "ComplaintEvidence",
    "ComplaintHistory",
    "ComplaintIncident",
    "ComplaintInvestigator",
    "ComplaintReferenceCounter",
    "ComplaintStage",
    "ComplaintUserObjectPermission",
    "ComplaintView",
    "Route",
    "RouteStage",
]


def private_media_root() -> Path:
    """Where evidence is stored: outside the web root, never served by the web server or by
    Django's static or media handling, only through ``complaint_evidence`` (a view that checks
    the viewer may see the complaint). ``COUNCILCASE_PRIVATE_MEDIA_ROOT`` when set, otherwise
    ``private/`` beside ``MEDIA_ROOT``."""
    configured = getattr(settings, "COUNCILCASE_PRIVATE_MEDIA_ROOT", None)
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "private"


class PrivateStorage(FileSystemStorage):
    """Files under ``private_media_root()``, read each time (tests point it at a temporary
    directory), with no URL: they are served only through a view that checks access."""

    @property
    def base_location(self):
        return str(private_media_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage() -> FileSystemStorage:
    # A callable, so migrations record its name rather than a location.
    return PrivateStorage()


class Route(VersionedModel):
    """A council's route for one kind of complaint (who complains about whom): an ordered list
    of stages. Seeded per council from the protocol's defaults (complaints.conduct.routing)
    and editable by the Monitoring Officer."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="complaint_routes")
    kind = models.CharField(max_length=40, choices=RouteKind.choices)
    name = models.CharField(max_length=200)
    source = models.CharField(
        max_length=200, blank=True, help_text="The protocol clause the route comes from."
    )

    class Meta:
        ordering = ["council_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "kind"], name="complaint_route_one_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RouteKind.values), name="complaint_route_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class RouteStage(VersionedModel):
    """One stage of a route: its place, name, owner rule, target in working days and the
    outcomes its owner may decide."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stages")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    owner_rule = models.CharField(max_length=40, choices=OwnerRule.choices)
    target_working_days = models.PositiveSmallIntegerField()
    allowed_outcomes = ArrayField(models.CharField(max_length=40), default=list)

    class Meta:
        ordering = ["route_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "order"], name="route_stage_order_unique"),
            models.CheckConstraint(
                condition=models.Q(owner_rule__in=OwnerRule.values),
                name="route_stage_owner_rule_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(target_working_days__gte=1),
                name="route_stage_target_at_least_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(allowed_outcomes__len__gt=0)
                & models.Q(allowed_outcomes__contained_by=StageOutcome.values),
                name="route_stage_outcomes_valid",
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"


class ComplaintReferenceCounter(PlainLoading, models.Model):
    """The last complaint reference number issued per council and year (``CMP-2026-000012``);
    incremented with INSERT ... ON CONFLICT DO UPDATE, like the enquiries' counter."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year"], name="complaint_reference_counter_once"
            )
        ]

    def __str__(self):
        return f"{self.council_id}/{self.year}: {self.last_number}"


def _one_of(prefix: str) -> models.Q:
    return models.Q(**{f"{prefix}_member__isnull": False, f"{prefix}_officer__isnull": True}) | (
        models.Q(**{f"{prefix}_member__isnull": True, f"{prefix}_officer__isnull": False})
    )


class Complaint(VersionedModel):
    """A conduct complaint. Confidential (DESIGN.md, Conduct complaints): who sees what is
    complaints.conduct.permissions; its description and incidents are personal data, which the
    audit trail records as changed without copying."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="complaints")
    reference = models.CharField(max_length=30)
    complainant_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complainant_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    categories = ArrayField(models.CharField(max_length=40))
    protected_characteristic = models.CharField(
        max_length=40, blank=True, choices=ProtectedCharacteristic.choices
    )
    description = models.TextField()
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="complaints")
    current_stage = models.OneToOneField(
        "ComplaintStage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    outcome = models.CharField(max_length=40, blank=True, choices=StageOutcome.choices)
    outcome_note = models.TextField(blank=True)
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_notified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was closed or withdrawn."
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="complaint_reference_unique"
            ),
            models.CheckConstraint(
                condition=_one_of("complainant"), name="complaint_one_complainant"
            ),
            models.CheckConstraint(condition=_one_of("subject"), name="complaint_one_subject"),
            models.CheckConstraint(
                condition=~models.Q(complainant_member=models.F("subject_member"))
                & ~models.Q(complainant_officer=models.F("subject_officer")),
                name="complaint_not_about_oneself",
            ),
            models.CheckConstraint(
                condition=models.Q(categories__len__gt=0)
                & models.Q(categories__contained_by=ComplaintCategory.values),
                name="complaint_categories_valid",
            ),
            # Discrimination names the Equality Act 2010 characteristic; nothing else does.
            models.CheckConstraint(
                condition=models.Q(
                    categories__contains=[ComplaintCategory.DISCRIMINATION.value],
                    protected_characteristic__in=ProtectedCharacteristic.values,
                )
                | (
                    ~models.Q(categories__contains=[ComplaintCategory.DISCRIMINATION.value])
                    & models.Q(protected_characteristic="")
                ),
                name="complaint_discrimination_has_characteristic",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ComplaintStatus.values),
                name="complaint_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome__in=StageOutcome.values),
                name="complaint_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED])
                | (~models.Q(outcome="") & models.Q(resolved_at__isnull=False)),
                name="complaint_resolved_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ComplaintStatus.OPEN)
                | models.Q(current_stage__isnull=True),
                name="complaint_no_current_stage_once_ended",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[ComplaintStatus.CLOSED, ComplaintStatus.WITHDRAWN])
                | models.Q(ended_at__isnull=False),
                name="complaint_ended_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "-raised_at", "-id"], name="complaint_list"),
            models.Index(fields=["council", "status"], name="complaint_status"),
        ]

    def __str__(self):
        return self.reference

    @property
    def complainant(self) -> Member | Officer:
        return self.complainant_member or self.complainant_officer

    @property
    def subject(self) -> Member | Officer:
        return self.subject_member or self.subject_officer

    @property
    def complainant_type(self) -> str:
        return PartyType.MEMBER if self.complainant_member_id else PartyType.OFFICER

    @property
    def subject_type(self) -> str:
        return PartyType.MEMBER if self.subject_member_id else PartyType.OFFICER

    @property
    def is_open(self) -> bool:
        return self.status == ComplaintStatus.OPEN

    @property
    def category_labels(self) -> list[str]:
        return [ComplaintCategory(category).label for category in self.categories]


class ComplaintIncident(PlainLoading, models.Model):
    """One dated incident the complaint alleges. Harassment involves conduct on at least two
    occasions (DESIGN.md, Conduct complaints): fewer is a warning for the Monitoring Officer."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="incidents")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    occurred_on = models.DateField()
    description = models.TextField()

    class Meta:
        ordering = ["complaint_id", "occurred_on", "id"]

    def __str__(self):
        return f"Incident on {self.occurred_on:%d %B %Y}"


class CitedClause(PlainLoading, models.Model):
    """A protocol clause the complaint cites: one of the version in force on the date of one
    of its incidents (the citation keeps meaning what it meant: adopted clauses never change,
    protocols migration 0002)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="citations")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    clause = models.ForeignKey("protocols.Clause", on_delete=models.PROTECT, related_name="+")
    cited_at = models.DateTimeField()
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["complaint_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "clause"], name="complaint_clause_once")
        ]

    def __str__(self):
        return f"{self.complaint_id} cites {self.clause_id}"


class ComplaintStage(PlainLoading, models.Model):
    """A stage a complaint has reached: its owner (resolved when it opened), due date (working
    days from the council's calendar), and how it ended.

    The complaint's parties are denormalised here so that the database itself refuses an owner
    who is the complainant or the subject (``complaint_stage_owner_not_a_party``).
    ``reminded_at`` and ``overdue_reported_at`` are set by the deadline sweep, once each.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    route_stage = models.ForeignKey(RouteStage, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveSmallIntegerField(help_text="1 for the complaint's first stage.")
    name = models.CharField(max_length=200)
    owner_rule = models.CharField(max_length=40, choices=OwnerRule.choices)
    owner_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    substituted = models.BooleanField(
        default=False, help_text="The rule's first choice could not own it; the next did."
    )
    complainant_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complainant_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    target_working_days = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True, choices=StageOutcome.choices)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["complaint_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "sequence"], name="complaint_stage_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=models.Q(closed_at__isnull=True),
                name="complaint_one_open_stage",
            ),
            models.CheckConstraint(
                condition=models.Q(owner_member__isnull=True)
                | models.Q(owner_officer__isnull=True),
                name="complaint_stage_one_owner",
            ),
            # DESIGN.md: a stage owner is never the complainant or the subject.
            models.CheckConstraint(
                condition=~models.Q(owner_member=models.F("complainant_member"))
                & ~models.Q(owner_member=models.F("subject_member"))
                & ~models.Q(owner_officer=models.F("complainant_officer"))
                & ~models.Q(owner_officer=models.F("subject_officer")),
                name="complaint_stage_owner_not_a_party",
            ),
            models.CheckConstraint(
                condition=_one_of("complainant"), name="complaint_stage_complainant"
            ),
            models.CheckConstraint(condition=_one_of("subject"), name="complaint_stage_subject"),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome__in=StageOutcome.values),
                name="complaint_stage_outcome_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True, outcome="")
                | (models.Q(closed_at__isnull=False) & ~models.Q(outcome="")),
                name="complaint_stage_closed_with_outcome",
            ),
        ]
        indexes = [
            # The deadline sweep: open stages by due date.
            models.Index(
                fields=["due_date", "id"],
                condition=models.Q(closed_at__isnull=True),
                name="complaint_stage_open_due",
            ),
        ]

    def __str__(self):
        return f"{self.sequence}. {self.name}"

    @property
    def owner(self) -> Member | Officer | None:
        return self.owner_member or self.owner_officer

    @property
    def owner_type(self) -> str | None:
        if self.owner_member_id:
            return PartyType.MEMBER
        if self.owner_officer_id:
            return PartyType.OFFICER
        return None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ComplaintHistory(PlainLoading, models.Model):
    """One entry in a complaint's stage history: every stage opened, substitution,
    escalation, re-route, citation and outcome, by whom and when.

    Append-only: the services insert and a trigger refuses UPDATE and DELETE (migration
    0005). ``note`` holds what a person wrote (a reason) and is redacted in the audit trail;
    ``detail`` holds non-personal facts (stage names, outcome codes, ids). A substitution is
    recorded without its reason's details (DESIGN.md: "without the relationship's details").
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="history")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(
        ComplaintStage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80)
    action = models.CharField(max_length=30, choices=HistoryAction.choices)
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "complaint history"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=HistoryAction.values),
                name="complaint_history_action_valid",
            ),
        ]
        indexes = [models.Index(fields=["complaint", "id"], name="complaint_history_timeline")]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class ComplaintInvestigator(PlainLoading, models.Model):
    """An officer the Monitoring Officer assigned to investigate: sees the complaint in full."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="investigators")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "officer"], name="complaint_investigator_once"
            )
        ]

    def __str__(self):
        return f"Investigator {self.officer_id} of {self.complaint_id}"


class ComplaintEvidence(PlainLoading, models.Model):
    """A file of evidence, stored outside the web root (``private_storage``) under a random
    name and served only to those who may see the complaint in full, or the complainant who
    gave it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=private_storage, upload_to="complaints/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["complaint_id", "id"]
        verbose_name_plural = "complaint evidence"

    def __str__(self):
        return self.original_name


class ComplaintView(PlainLoading, models.Model):
    """Someone looked at a complaint (its page, its API record or its evidence): who and when.
    Complaints are confidential and every view is recorded (DESIGN.md, Conduct complaints);
    the Monitoring Officer can see who looked."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="views")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=20, default="page")

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["complaint", "-id"], name="complaint_view_log")]

    def __str__(self):
        return f"Viewed by {self.viewer_id} at {self.at:%Y-%m-%d %H:%M}"


class ComplaintUserObjectPermission(PlainLoading, UserObjectPermissionBase):
    """django-guardian's per-object grants on complaints, with a real foreign key (guardian's
    direct-foreign-key form): granted to each stage owner when their stage opens and to each
    investigator, so the complaint selector joins them instead of casting generic ids."""

    content_object = models.ForeignKey(Complaint, on_delete=models.CASCADE)
