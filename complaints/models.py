"""Member enquiries, the council's service standards that time them, and their timelines.

An enquiry is a member's casework: something a constituent raised that the member takes to
the council (DESIGN.md, Member enquiries). Its deadlines are counted in working days by the
council's calendar (council.calendar) from the standards in ``ServiceStandard`` (city council
protocol 10.3.1). State changes happen only in ``complaints.services``; the invariants those
services keep are stated again here as database constraints.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import PlainLoading, VersionedModel
from council.calendar import is_overdue
from council.models import Council, Directorate, Member, Officer

from .choices import (
    AWAITING_RESPONSE_STATUSES,
    DISSATISFIED_ESCALATION_TARGETS,
    EnquiryAction,
    EnquiryChannel,
    EnquiryStatus,
    EscalationTarget,
)

# ``Enquiry.response_due`` when no response clock runs (answered, closed). A date rather than
# NULL so that the queue's keyset order (response_due, id) puts these last and the cursor
# needs no NULL handling; the API shows it as null.
NO_RESPONSE_DUE = datetime.date(9999, 12, 31)

FIRST_RESPONSE = "first_response"
FULL_RESPONSE = "full_response"


class ServiceStandard(VersionedModel):
    """A council's standards for answering member enquiries: rows, not code.

    City council protocol 10.3.1: "Officers should acknowledge the enquiry and if possible
    provide a response within 3 working days. If the enquiry requires some investigation and
    further work, Members should be informed about this and then the response is to be
    available within 10 working days." That is the default: ``first_response_days=3``,
    ``full_response_days=10``, ``holding_response_extends=True`` — the answer is due with the
    first-response clock unless a holding response (with reasons) moves it to the
    full-response clock.

    A council with one 10-working-day standard and a holding response allowed sets
    ``holding_response_extends=False`` and ``full_response_days=10``: the answer is due on
    the full-response clock from the start, a holding response tells the member why without
    moving it, and ``first_response_days`` is its target for the acknowledgement (set it to
    10 as well when there is none).

    Each enquiry keeps the standard in force when it was logged (``Enquiry``'s
    ``*_response_days`` and ``holding_response_extends``): changing the standard times new
    enquiries, not ones already promised a date.
    """

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, related_name="service_standard"
    )
    first_response_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="Working days to acknowledge an enquiry (and, if possible, answer it).",
    )
    full_response_days = models.PositiveSmallIntegerField(
        default=10,
        help_text="Working days to give the full response where investigation is needed.",
    )
    holding_response_extends = models.BooleanField(
        default=True,
        help_text="Whether a holding response moves the answer's due date from the "
        "first-response to the full-response standard.",
    )
    escalate_after_overdue_days = models.PositiveSmallIntegerField(
        default=2,
        help_text="Working days overdue after which an enquiry escalates to the director "
        "of its service.",
    )
    dissatisfied_escalation_to = models.CharField(
        max_length=40,
        choices=[(target.value, target.label) for target in DISSATISFIED_ESCALATION_TARGETS],
        default=EscalationTarget.CHIEF_EXECUTIVE,
        help_text="Where a member who remains dissatisfied escalates (city council protocol "
        "10.3.2).",
    )
    cited_clause_reference = models.CharField(
        max_length=40,
        null=True,
        blank=True,
        help_text="The protocol clause that sets these standards, e.g. 10.3.1 (a reference "
        "until protocols are in Councilcase).",
    )
    cited_clause = models.ForeignKey(
        "protocols.Clause",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The clause of the adopted protocol that sets these standards (city council "
        "protocol 10.3.1); cited_clause_reference keeps the number as written.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(full_response_days__gte=models.F("first_response_days")),
                name="service_standard_full_response_not_before_first",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    dissatisfied_escalation_to__in=[
                        t.value for t in DISSATISFIED_ESCALATION_TARGETS
                    ]
                ),
                name="service_standard_dissatisfied_escalation_valid",
            ),
        ]

    def __str__(self):
        return (
            f"{self.council}: first response {self.first_response_days}, "
            f"full response {self.full_response_days} working days"
        )


class EnquiryReferenceCounter(PlainLoading, models.Model):
    """The last reference number issued per council and year (``ENQ-2026-000123``).

    ``services.next_enquiry_reference`` increments it with one INSERT ... ON CONFLICT DO UPDATE,
    which locks the row until the logging transaction ends: concurrent loggers queue for the
    next number instead of racing for it, and a rolled-back enquiry leaves no gap.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year"], name="enquiry_reference_counter_once"
            )
        ]

    def __str__(self):
        return f"{self.council_id}/{self.year}: {self.last_number}"


def response_clock(
    *, status: str, acknowledged: bool, holding: bool, responded: bool, extends: bool
) -> str | None:
    """Which clock the enquiry's answer is due on: ``FIRST_RESPONSE``, ``FULL_RESPONSE`` or
    None (nothing awaited). The one statement of the rule (city council protocol 10.3.1):

    - answered (or closed): no clock. An escalation after an answer has no working-day
      standard in the protocol (10.3.2), so none runs.
    - after a holding response: the full-response clock;
    - acknowledged: the full-response clock if the standard's holding response does not
      extend (a single standard), otherwise still the first-response clock;
    - otherwise: the first-response clock.
    """
    if status not in AWAITING_RESPONSE_STATUSES or responded:
        return None
    if holding or (acknowledged and not extends):
        return FULL_RESPONSE
    return FIRST_RESPONSE


class Enquiry(VersionedModel):
    """A member's enquiry (casework or a service complaint) and its working-day deadlines.

    ``first_response_due`` and ``full_response_due`` are counted from ``received_at`` by the
    council's calendar and the service standard in force when it was logged; they are
    recomputed when the calendar changes. ``response_due`` is the due date of the clock now
    running (``response_clock``), which orders the queue and which the deadline sweep reads.
    The constituent's details are personal data: the audit trail records that they changed,
    never their values.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="enquiries")
    reference = models.CharField(max_length=30)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="enquiries")
    constituent_name = models.CharField(max_length=200, blank=True)
    constituent_email = models.EmailField(max_length=254, blank=True)
    constituent_phone = models.CharField(max_length=40, blank=True)
    constituent_address = models.TextField(blank=True)
    subject = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    assigned_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    channel = models.CharField(max_length=20, choices=EnquiryChannel.choices)
    received_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=EnquiryStatus.choices, default=EnquiryStatus.RECEIVED
    )

    # The service standard in force when the enquiry was logged.
    first_response_days = models.PositiveSmallIntegerField()
    full_response_days = models.PositiveSmallIntegerField()
    holding_response_extends = models.BooleanField()

    first_response_due = models.DateField()
    full_response_due = models.DateField()
    response_due = models.DateField(
        help_text="The due date of the clock now running; 9999-12-31 when none runs."
    )

    acknowledged_at = models.DateTimeField(null=True, blank=True)
    holding_response_at = models.DateTimeField(null=True, blank=True)
    holding_reason = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # Set when the assigned officer leaves the council (HR sync, ``active: false``): the case
    # waits for reassignment, to the leaver's line manager by default (DESIGN.md, HR sync).
    reassignment_needed_since = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.CharField(max_length=40, choices=EscalationTarget.choices, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who logged it on the member's behalf (the member, for the portal).",
    )

    class Meta:
        verbose_name_plural = "enquiries"
        ordering = ["response_due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="enquiry_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EnquiryStatus.values), name="enquiry_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=EnquiryChannel.values),
                name="enquiry_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(escalated_to="")
                | models.Q(escalated_to__in=EscalationTarget.values),
                name="enquiry_escalated_to_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(full_response_days__gte=models.F("first_response_days"))
                & models.Q(full_response_due__gte=models.F("first_response_due")),
                name="enquiry_full_response_not_before_first",
            ),
            models.CheckConstraint(
                condition=models.Q(response_due=models.F("first_response_due"))
                | models.Q(response_due=models.F("full_response_due"))
                | models.Q(response_due=NO_RESPONSE_DUE),
                name="enquiry_response_due_is_a_clock",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[EnquiryStatus.RESPONDED, EnquiryStatus.CLOSED])
                | models.Q(response_due=NO_RESPONSE_DUE),
                name="enquiry_no_clock_once_answered",
            ),
            # A holding response must give its reasons (city council protocol 10.3.1).
            models.CheckConstraint(
                condition=models.Q(holding_response_at__isnull=True)
                | models.Q(holding_reason__regex=r"\S"),
                name="enquiry_holding_response_has_reasons",
            ),
            models.CheckConstraint(
                condition=models.Q(responded_at__isnull=True) | models.Q(response__regex=r"\S"),
                name="enquiry_response_not_blank",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EnquiryStatus.ACKNOWLEDGED)
                | models.Q(acknowledged_at__isnull=False),
                name="enquiry_acknowledged_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EnquiryStatus.INVESTIGATING)
                | models.Q(holding_response_at__isnull=False),
                name="enquiry_investigating_after_holding_response",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[EnquiryStatus.RESPONDED, EnquiryStatus.CLOSED])
                | models.Q(responded_at__isnull=False),
                name="enquiry_responded_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status=EnquiryStatus.CLOSED, closed_at__isnull=False)
                | (~models.Q(status=EnquiryStatus.CLOSED) & models.Q(closed_at__isnull=True)),
                name="enquiry_closed_when_closed_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EnquiryStatus.ESCALATED)
                | models.Q(escalation_level__gt=0, escalated_at__isnull=False),
                name="enquiry_escalated_has_level",
            ),
        ]
        indexes = [
            # The queue and the API's default order: most urgent first, within a council.
            models.Index(fields=["council", "response_due", "id"], name="enquiry_queue"),
            # The deadline sweep: enquiries still awaiting an answer, by due date.
            models.Index(
                fields=["response_due", "id"],
                condition=models.Q(status__in=sorted(AWAITING_RESPONSE_STATUSES)),
                name="enquiry_awaiting_response_due",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status != EnquiryStatus.CLOSED

    @property
    def clock(self) -> str | None:
        """The clock the answer is due on now (see ``response_clock``)."""
        return response_clock(
            status=self.status,
            acknowledged=self.acknowledged_at is not None,
            holding=self.holding_response_at is not None,
            responded=self.responded_at is not None,
            extends=self.holding_response_extends,
        )

    def clock_due(self) -> datetime.date:
        """The due date of ``clock`` (``NO_RESPONSE_DUE`` when none runs)."""
        return {
            FIRST_RESPONSE: self.first_response_due,
            FULL_RESPONSE: self.full_response_due,
            None: NO_RESPONSE_DUE,
        }[self.clock]

    def is_overdue_at(self, now: datetime.datetime) -> bool:
        """Whether the running clock's due date has passed at ``now`` (overdue from 00:00
        Europe/London the day after it; council.calendar.is_overdue)."""
        return self.response_due != NO_RESPONSE_DUE and is_overdue(self.response_due, now)

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())


class EnquiryEvent(PlainLoading, models.Model):
    """One entry on an enquiry's timeline: what was done, by whom, when.

    Append-only: the services create entries and nothing changes or deletes them. ``actor``
    names who acted as the audit trail does (``user:5``, ``token:3``, ``task:sweep``);
    ``by`` is the account when a person acted. ``note`` holds what was said (reasons, the
    escalation's grounds) and is redacted in the audit trail; ``detail`` holds structured,
    non-personal facts (field names, ids, dates).
    """

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="events")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.CharField(max_length=80)
    action = models.CharField(max_length=30, choices=EnquiryAction.choices)
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=EnquiryAction.values),
                name="enquiry_event_action_valid",
            ),
        ]
        indexes = [models.Index(fields=["enquiry", "id"], name="enquiry_event_timeline")]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


from .conduct.models import *  # noqa: E402, F403 - conduct complaints live in this app
