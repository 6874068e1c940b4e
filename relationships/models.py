"""The register of declared relationships, and the log of conflict questions asked of it.

A declaration says that a member or an officer (the declarant) has a relationship with
someone (the counterpart: a member, an officer, or a named person or organisation outside the
council) that might be seen as influencing their work (city council protocol 4.5-4.6,
13.1-13.2; DESIGN.md, Declared relationships). The conflict checks
(``relationships.selectors.conflicted``) read it wherever the system picks a person.

State changes happen only in ``relationships.services``; the invariants they keep are stated
again here as database constraints. Descriptions, advice and external counterparts' names and
e-mails are personal data: the audit trail records that they changed, never their values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from core.models import PlainLoading, VersionedModel
from council.models import Council, Member, Officer

from .choices import DeclarationKind, DeclarationRecipient, DeclarationStatus
from .parties import External


class Declaration(VersionedModel):
    """One declared relationship. "Active on a date" (the conflict checks): not ended, started
    on or before the date, and not ended before it (``ended_on`` null or on/after it)."""

    # The audit history page shows this record to the register's keepers only
    # (council.permissions.can_view_history): its people and kind are themselves details.
    history_is_confidential = True

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="declarations")
    declarant_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    declarant_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations"
    )
    counterpart_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counterpart_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counterpart_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="An external person or organisation (stored with single spaces, trimmed).",
    )
    counterpart_email = models.EmailField(
        max_length=254, blank=True, help_text="An external person's e-mail, if known."
    )
    kind = models.CharField(max_length=30, choices=DeclarationKind.choices)
    declared_to = models.CharField(max_length=30, choices=DeclarationRecipient.choices)
    description = models.TextField(blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DeclarationStatus.choices, default=DeclarationStatus.SUBMITTED
    )
    advice = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    advice_given_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who recorded it: the declarant, or the Monitoring Officer on their behalf.",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(declarant_member__isnull=False, declarant_officer__isnull=True)
                    | models.Q(declarant_member__isnull=True, declarant_officer__isnull=False)
                ),
                name="declaration_one_declarant",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        counterpart_member__isnull=False,
                        counterpart_officer__isnull=True,
                        counterpart_name="",
                        counterpart_email="",
                    )
                    | models.Q(
                        counterpart_member__isnull=True,
                        counterpart_officer__isnull=False,
                        counterpart_name="",
                        counterpart_email="",
                    )
                    | (
                        models.Q(counterpart_member__isnull=True, counterpart_officer__isnull=True)
                        & models.Q(counterpart_name__regex=r"\S")
                    )
                ),
                name="declaration_one_counterpart",
            ),
            # Nobody declares a relationship with themselves (NULLs pass: other kinds).
            models.CheckConstraint(
                condition=~models.Q(declarant_member=models.F("counterpart_member"))
                & ~models.Q(declarant_officer=models.F("counterpart_officer")),
                name="declaration_not_with_oneself",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DeclarationKind.values), name="declaration_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DeclarationStatus.values),
                name="declaration_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(declared_to__in=DeclarationRecipient.values),
                name="declaration_declared_to_valid",
            ),
            # Organisation memberships go to the Monitoring Officer (protocol 13.1-13.2).
            models.CheckConstraint(
                condition=~models.Q(kind=DeclarationKind.ORGANISATION_MEMBERSHIP)
                | models.Q(declared_to=DeclarationRecipient.MONITORING_OFFICER),
                name="declaration_organisation_to_monitoring_officer",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="declaration_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DeclarationStatus.ENDED)
                | models.Q(ended_on__isnull=False),
                name="declaration_ended_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DeclarationStatus.ADVICE_GIVEN)
                | models.Q(advice__regex=r"\S", advice_given_at__isnull=False),
                name="declaration_advice_given_has_advice",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "-submitted_at", "-id"], name="declaration_register"),
            # The conflict checks match external counterparts by name or e-mail, any case.
            models.Index(Lower("counterpart_name"), name="declaration_name_ci"),
            models.Index(Lower("counterpart_email"), name="declaration_email_ci"),
        ]

    def __str__(self):
        return f"Declaration {self.pk}"

    @property
    def declarant(self) -> Member | Officer:
        return self.declarant_member or self.declarant_officer

    @property
    def counterpart(self) -> Member | Officer | External:
        return (
            self.counterpart_member
            or self.counterpart_officer
            or External(self.counterpart_name, self.counterpart_email)
        )

    @property
    def is_open(self) -> bool:
        return self.status != DeclarationStatus.ENDED


class ConflictQuestion(PlainLoading, models.Model):
    """One question put to the conflict check through the API: who asked, about whom, for
    which date, and the answer. Conflict checks are not an oracle (DESIGN.md, Security
    decisions): every question is recorded, so that fishing for relationships shows up.

    Append-only: written by ``services.record_conflict_question`` and never changed.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    asked_at = models.DateTimeField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.CharField(max_length=80, help_text="user:<id> or token:<id>.")
    a_type = models.CharField(max_length=10)
    a_id = models.BigIntegerField()
    b_type = models.CharField(max_length=10)
    b_id = models.BigIntegerField()
    on = models.DateField()
    answer = models.BooleanField()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["council", "-id"], name="conflict_question_log")]

    def __str__(self):
        return f"{self.actor} asked about {self.a_type}:{self.a_id} and {self.b_type}:{self.b_id}"
