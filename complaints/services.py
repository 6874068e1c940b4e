"""Every change to a member enquiry, and to the service standards that time it.

Each function takes keyword arguments with the acting person (``by``: a User, an API token's
principal, or a process name such as ``"task:sweep"``), opens its own transaction, locks the
enquiry, checks who may act (complaints.permissions), the caller's version (412) and the
action against ``choices.ENQUIRY_TRANSITIONS`` (409), then writes the change and one entry on
the enquiry's timeline. Bad input raises ``ValidationError`` naming the field before anything
is written. The audit trail is written by database triggers (core.audit).

Each function writes its outbox rows (complaints.notifications) in the same transaction as
the change, where a comment marks them (DESIGN.md, Member enquiries).
``now`` defaults to the current time; the deadline sweep and tests pass their own.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.audit import acting_as
from core.errors import Conflict
from core.notifications.choices import NotificationKind
from core.versioning import check_version, save_new_version
from council.calendar import LONDON, OutsideCalendar, calendar_for, local_date
from council.models import Council, Directorate, Member, Officer, User
from council.roles import member_of
from council.services import actor_of

from . import notifications, permissions, selectors
from .choices import (
    ACTION_PAST_TENSE,
    ENQUIRY_TRANSITIONS,
    EnquiryAction,
    EnquiryChannel,
    EnquiryStatus,
    EscalationTarget,
)
from .models import (
    FIRST_RESPONSE,
    FULL_RESPONSE,
    NO_RESPONSE_DUE,
    Enquiry,
    EnquiryEvent,
    ServiceStandard,
    response_clock,
)

CONSTITUENT_FIELDS = ("name", "email", "phone", "address")
# What ``update_enquiry`` may change. The member, channel and receipt time fix the deadlines;
# the assignee changes through ``assign_enquiry``.
EDITABLE_FIELDS = ("subject", "description", "directorate")
STANDARD_FIELDS = (
    "first_response_days",
    "full_response_days",
    "holding_response_extends",
    "escalate_after_overdue_days",
    "dissatisfied_escalation_to",
    "cited_clause_reference",
)
REFERENCE_PREFIX = "ENQ"
# References the services check themselves (same council, active), so full_clean skips them;
# uniqueness and the CHECK constraints are the database's to enforce.
CHECKED_BY_SERVICES = ["council", "member", "directorate", "assigned_officer", "logged_by"]


# Service standards -------------------------------------------------------------------------


def service_standards_for(council: Council) -> ServiceStandard:
    """The council's service standards, created with the protocol defaults (3 and 10 working
    days, a holding response extends, escalation after 2 working days overdue, to the Chief
    Executive) the first time they are asked for. Safe under concurrency: two first callers
    get the same row (the council is unique)."""
    standard, _created = ServiceStandard.objects.get_or_create(council=council)
    return standard


def update_service_standards(
    *, council: Council, by, expected_version=None, **fields
) -> ServiceStandard:
    """Change a council's service standards. They time enquiries logged from now on; each
    enquiry already logged keeps the standard it was promised."""
    unknown = set(fields) - set(STANDARD_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    with transaction.atomic(), acting_as(actor_of(by)):
        service_standards_for(council)
        standard = ServiceStandard.objects.select_for_update().get(council=council)
        check_version(standard, expected_version)
        changed = [name for name, value in fields.items() if getattr(standard, name) != value]
        if not changed:
            return standard
        for name in changed:
            setattr(standard, name, fields[name])
        if standard.full_response_days < standard.first_response_days:
            raise ValidationError(
                {"full_response_days": ["The full response cannot be due before the first."]}
            )
        standard.full_clean(exclude=["council"], validate_constraints=False)
        return save_new_version(standard, update_fields=changed)


# Helpers -----------------------------------------------------------------------------------


def _moment(now: datetime.datetime | None) -> datetime.datetime:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware.")
    return now


def _same_council(council: Council, field: str, value, errors: dict) -> None:
    if value is not None and value.council_id != council.pk:
        errors[field] = ["Choose one of this council's records."]


def _check_officer(council: Council, officer, field: str, errors: dict) -> None:
    if officer is None:
        return
    if officer.council_id != council.pk:
        errors[field] = ["Choose one of this council's officers."]
    elif not officer.active:
        errors[field] = ["This officer has left: choose one who is still with the council."]


def _required_text(value, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text


def _constituent_columns(constituent: Mapping | None) -> dict[str, str]:
    """``{"name": ..., "email": ...}`` as the model's ``constituent_*`` columns."""
    constituent = dict(constituent or {})
    unknown = set(constituent) - set(CONSTITUENT_FIELDS)
    if unknown:
        raise ValidationError(
            {f"constituent.{name}": ["Unknown field."] for name in sorted(unknown)}
        )
    return {f"constituent_{name}": (value or "").strip() for name, value in constituent.items()}


def _check_transition(enquiry: Enquiry, action: str) -> str | None:
    """The status ``action`` moves ``enquiry`` to (None: unchanged), or ``Conflict`` (409)."""
    allowed, to_status = ENQUIRY_TRANSITIONS[action]
    if enquiry.status not in allowed:
        raise Conflict(
            f"This enquiry is {enquiry.get_status_display().lower()}: it cannot be "
            f"{ACTION_PAST_TENSE[action]}.",
            code="invalid_transition",
        )
    return to_status


def _lock(action: str, *, enquiry: Enquiry, by, expected_version) -> tuple[Enquiry, str | None]:
    """Lock the enquiry's row, then check who is acting (403), the caller's version (412) and
    the transition (409), in that order. Returns the locked enquiry and the status to move to.
    """
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    permissions.require(by, action, locked)
    check_version(locked, expected_version)
    return locked, _check_transition(locked, action)


def _record(
    enquiry: Enquiry, *, by, action: str, at: datetime.datetime, note: str = "", detail=None
) -> EnquiryEvent:
    return EnquiryEvent.objects.create(
        enquiry=enquiry,
        council_id=enquiry.council_id,
        at=at,
        by=by if isinstance(by, User) else None,
        actor=actor_of(by),
        action=action,
        note=note,
        detail=detail or {},
    )


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None or day == NO_RESPONSE_DUE else day.isoformat()


def next_enquiry_reference(council: Council, year: int) -> str:
    """The council's next reference for ``year``, e.g. ``ENQ-2026-000123``.

    One statement: the counter row is created or incremented and stays locked until the
    caller's transaction ends, so concurrent loggers get consecutive numbers, never the same
    one, and a rolled-back enquiry gives its number back.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO complaints_enquiryreferencecounter (council_id, year, last_number) "
            "VALUES (%s, %s, 1) ON CONFLICT (council_id, year) DO UPDATE "
            "SET last_number = complaints_enquiryreferencecounter.last_number + 1 "
            "RETURNING last_number",
            [council.pk, year],
        )
        (number,) = cursor.fetchone()
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


# Logging -----------------------------------------------------------------------------------


def _check_received_at(received_at, now: datetime.datetime) -> None:
    if not isinstance(received_at, datetime.datetime):
        raise ValidationError({"received_at": ["Give the date and time it was received."]})
    if timezone.is_naive(received_at):
        raise ValidationError(
            {"received_at": ["Give the time with its offset from UTC, e.g. 10:00:00+00:00."]}
        )
    if received_at > now:
        raise ValidationError({"received_at": ["An enquiry cannot be received in the future."]})


def log_enquiry(
    *,
    council: Council,
    by,
    member: Member,
    constituent: Mapping | None = None,
    subject: str,
    description: str = "",
    directorate: Directorate | None = None,
    assigned_officer: Officer | None = None,
    channel: str,
    received_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Enquiry:
    """Log a member's enquiry, on their behalf (by an officer) or by the member through the
    portal, and start its clocks.

    ``constituent`` is ``{"name", "email", "phone", "address"}`` (any of them). Due dates are
    counted by the council's calendar from ``received_at`` (which may not be in the future or
    without a time zone) with the council's service standard: first response after
    ``first_response_days`` and full response after ``full_response_days`` working days
    (city council protocol 10.3.1).
    """
    now = _moment(now)
    _check_received_at(received_at, now)
    errors: dict[str, list[str]] = {}
    _same_council(council, "member", member, errors)
    _same_council(council, "directorate", directorate, errors)
    _check_officer(council, assigned_officer, "assigned_officer", errors)
    if channel not in EnquiryChannel.values:
        errors["channel"] = [f"Choose one of: {', '.join(EnquiryChannel.values)}."]
    if not (subject or "").strip():
        errors["subject"] = ["Say what the enquiry is about."]
    if errors:
        raise ValidationError(errors)
    permissions.check_may_log(
        by, council=council, member=member, channel=channel, assigned_officer=assigned_officer
    )
    with transaction.atomic(), acting_as(actor_of(by)):
        # A calendar change locks the council's row FOR UPDATE and recomputes the open
        # enquiries; holding this lock until commit, a logger either waits for the change and
        # counts with the new calendar, or commits first and is among those recomputed.
        # (Loggers of one council queue here as they would on the reference counter anyway.)
        council = Council.objects.select_for_update(no_key=True).get(pk=council.pk)
        standard = service_standards_for(council)
        calendar = calendar_for(council)
        try:
            first_due = calendar.due_date(received_at, standard.first_response_days)
            full_due = calendar.due_date(received_at, standard.full_response_days)
        except OutsideCalendar as error:
            raise ValidationError({"received_at": [str(error)]}) from error
        enquiry = Enquiry(
            council=council,
            member=member,
            subject=subject.strip(),
            description=(description or "").strip(),
            directorate=directorate,
            assigned_officer=assigned_officer,
            channel=channel,
            received_at=received_at,
            first_response_days=standard.first_response_days,
            full_response_days=standard.full_response_days,
            holding_response_extends=standard.holding_response_extends,
            first_response_due=first_due,
            full_response_due=full_due,
            logged_by=by if isinstance(by, User) else None,
            **_constituent_columns(constituent),
        )
        enquiry.response_due = enquiry.clock_due()
        # The reference is issued below, once the enquiry is known to be valid.
        enquiry.full_clean(
            exclude=[*CHECKED_BY_SERVICES, "reference"],
            validate_unique=False,
            validate_constraints=False,
        )
        if assigned_officer is not None and selectors.assignment_conflict(
            enquiry, assigned_officer
        ):
            raise Conflict(
                "The officer has a declared relationship that conflicts with this enquiry: "
                "log it unassigned and assign it to someone else.",
                code="conflict_of_interest",
            )
        enquiry.reference = next_enquiry_reference(council, now.astimezone(LONDON).year)
        enquiry.save()
        _record(
            enquiry,
            by=by,
            action=EnquiryAction.LOGGED,
            at=now,
            detail={
                "channel": channel,
                "first_response_due": _iso(first_due),
                "full_response_due": _iso(full_due),
                "assigned_officer": getattr(assigned_officer, "pk", None),
            },
        )
        # Notifications: tell the assigned officer.
        notifications.tell_assignee(enquiry, now=now)
        return enquiry


def update_enquiry(
    *,
    enquiry: Enquiry,
    by,
    expected_version=None,
    constituent: Mapping | None = None,
    now: datetime.datetime | None = None,
    **fields,
) -> Enquiry:
    """Correct an open enquiry's subject, description, directorate or constituent details.
    The timeline records which fields changed, not their values."""
    now = _moment(now)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    if "subject" in fields:
        fields["subject"] = _required_text(
            fields["subject"], "subject", "Say what the enquiry is about."
        )
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    fields.update(_constituent_columns(constituent))
    errors: dict[str, list[str]] = {}
    _same_council(enquiry.council, "directorate", fields.get("directorate"), errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), acting_as(actor_of(by)):
        enquiry, _status = _lock(
            "update", enquiry=enquiry, by=by, expected_version=expected_version
        )
        changed = []
        for name, value in fields.items():
            current = enquiry.directorate_id if name == "directorate" else getattr(enquiry, name)
            new = getattr(value, "pk", value) if name == "directorate" else value
            if current != new:
                setattr(enquiry, name, value)
                changed.append(name)
        if not changed:
            return enquiry
        enquiry.full_clean(
            exclude=CHECKED_BY_SERVICES, validate_unique=False, validate_constraints=False
        )
        save_new_version(enquiry, update_fields=changed)
        _record(
            enquiry,
            by=by,
            action=EnquiryAction.UPDATED,
            at=now,
            detail={"fields": [name.replace("constituent_", "constituent.") for name in changed]},
        )
        return enquiry


# The workflow ------------------------------------------------------------------------------


def acknowledge_enquiry(
    *, enquiry: Enquiry, by, expected_version=None, now: datetime.datetime | None = None
) -> Enquiry:
    """Acknowledge a new enquiry (the first response, city council protocol 10.3.1). Under a
    single standard the answer is then due on the full-response clock; under the 3+10
    standard it stays due on the first unless a holding response follows."""
    now = _moment(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        enquiry, status = _lock(
            "acknowledge", enquiry=enquiry, by=by, expected_version=expected_version
        )
        enquiry.status = status
        enquiry.acknowledged_at = now
        enquiry.response_due = enquiry.clock_due()
        save_new_version(enquiry, update_fields=["status", "acknowledged_at", "response_due"])
        _record(
            enquiry,
            by=by,
            action=EnquiryAction.ACKNOWLEDGED,
            at=now,
            detail={"response_due": _iso(enquiry.response_due)},
        )
        # Notifications: tell the member (the reasons and the response are on the enquiry's page).
        notifications.tell_member(enquiry, kind=NotificationKind.ACKNOWLEDGED, now=now)
        return enquiry


def send_holding_response(
    *,
    enquiry: Enquiry,
    by,
    reason: str,
    expected_version=None,
    now: datetime.datetime | None = None,
) -> Enquiry:
    """Tell the member the enquiry needs investigation, and why; the full response is then
    due on the full-response clock (city council protocol 10.3.1). Reasons are required."""
    now = _moment(now)
    reason = _required_text(
        reason, "reason", "A holding response must give the reasons for the delay."
    )
    with transaction.atomic(), acting_as(actor_of(by)):
        enquiry, status = _lock(
            "holding_response", enquiry=enquiry, by=by, expected_version=expected_version
        )
        enquiry.status = status
        enquiry.holding_response_at = now
        enquiry.holding_reason = reason
        enquiry.response_due = enquiry.clock_due()
        save_new_version(
            enquiry,
            update_fields=["status", "holding_response_at", "holding_reason", "response_due"],
        )
        _record(
            enquiry,
            by=by,
            action=EnquiryAction.HOLDING_RESPONSE,
            at=now,
            note=reason,
            detail={"response_due": _iso(enquiry.response_due)},
        )
        # Notifications: tell the member (the reasons and the response are on the enquiry's page).
        notifications.tell_member(enquiry, kind=NotificationKind.HOLDING_RESPONSE, now=now)
        return enquiry


def respond_to_enquiry(
    *,
    enquiry: Enquiry,
    by,
    response: str,
    expected_version=None,
    now: datetime.datetime | None = None,
) -> Enquiry:
    """Give the member the answer. The clock stops; the timeline records whether it was in
    time."""
    now = _moment(now)
    response = _required_text(response, "response", "Give the response to send the member.")
    with transaction.atomic(), acting_as(actor_of(by)):
        enquiry, status = _lock(
            "respond", enquiry=enquiry, by=by, expected_version=expected_version
        )
        due = enquiry.response_due
        enquiry.status = status
        enquiry.responded_at = now
        enquiry.response = response
        enquiry.response_due = enquiry.clock_due()
        save_new_version(
            enquiry, update_fields=["status", "responded_at", "response", "response_due"]
        )
        _record(
            enquiry,
            by=by,
            action=EnquiryAction.RESPONDED,
            at=now,
            note=response,
            detail={
                "due": _iso(due),
                "in_time": None if due == NO_RESPONSE_DUE else local_date(now) <= due,
            },
        )
        # Notifications: tell the member (the reasons and the response are on the enquiry's page).
        notifications.tell_member(enquiry, kind=NotificationKind.RESPONDED, now=now)
        return enquiry


def close_enquiry(
    *, enquiry: Enquiry, by, expected_version=None, now: datetime.datetime | None = None
) -> Enquiry:
    """Close an answered enquiry."""
    now = _moment(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        enquiry, status = _lock("close", enquiry=enquiry, by=by, expected_version=expected_version)
        enquiry.status = status
        enquiry.closed_at = now
        save_new_version(enquiry, update_fields=["status", "closed_at"])
        _record(enquiry, by=by, action=EnquiryAction.CLOSED, at=now)
        return enquiry


def assign_enquiry(
    *,
    enquiry: Enquiry,
    by,
    officer: Officer,
    override_reason: str | None = None,
    expected_version=None,
    now: datetime.datetime | None = None,
) -> Enquiry:
    """Give an open enquiry to an active officer of its council.

    A declared relationship between the officer and the enquiry's member
    (``selectors.assignment_conflict``) refuses the assignment with a 409 that reveals no
    details, unless a person allowed to override (``permissions.may_override_conflict``)
    gives a reason, which the timeline keeps. Assigning to the current assignee changes
    nothing.
    """
    now = _moment(now)
    errors: dict[str, list[str]] = {}
    if officer is None:
        errors["officer"] = ["Choose the officer to assign."]
    else:
        _check_officer(enquiry.council, officer, "officer", errors)
    if errors:
        raise ValidationError(errors)
    override_reason = (override_reason or "").strip()
    with transaction.atomic(), acting_as(actor_of(by)):
        enquiry, _status = _lock(
            "assign", enquiry=enquiry, by=by, expected_version=expected_version
        )
        if enquiry.assigned_officer_id == officer.pk:
            return enquiry
        overridden = False
        if selectors.assignment_conflict(enquiry, officer):
            if not override_reason:
                raise Conflict(
                    "This officer has a declared relationship that conflicts with this "
                    "enquiry. Choose another officer, or give a reason to override.",
                    code="conflict_of_interest",
                )
            if not permissions.may_override_conflict(by):
                raise Conflict(
                    "This officer has a declared relationship that conflicts with this "
                    "enquiry. Only the Monitoring Officer, the Chief Executive, a director or "
                    "a casework team manager may override it.",
                    code="conflict_of_interest",
                )
            overridden = True
        previous = enquiry.assigned_officer_id
        enquiry.assigned_officer = officer
        save_new_version(enquiry, update_fields=["assigned_officer"])
        _record(
            enquiry,
            by=by,
            action=EnquiryAction.ASSIGNED,
            at=now,
            note=override_reason if overridden else "",
            detail={"from": previous, "to": officer.pk, "conflict_overridden": overridden},
        )
        # Notifications: tell the officer it is theirs.
        notifications.tell_assignee(enquiry, now=now)
        return enquiry


def escalate_enquiry(
    *,
    enquiry: Enquiry,
    by,
    reason: str,
    expected_version=None,
    now: datetime.datetime | None = None,
) -> Enquiry:
    """Escalate an open enquiry, raising its escalation level.

    To whom: a member who remains dissatisfied escalates to the Chief Executive or the
    Director of Legal and Governance, as the council's service standard says (city council
    protocol 10.3.2); staff (and the deadline sweep) escalate first to the director of the
    enquiry's service, and beyond that to the same person as a dissatisfied member. The
    running clock is kept: escalation does not excuse lateness.
    """
    now = _moment(now)
    reason = _required_text(reason, "reason", "Say why the enquiry is being escalated.")
    with transaction.atomic(), acting_as(actor_of(by)):
        enquiry, status = _lock(
            "escalate", enquiry=enquiry, by=by, expected_version=expected_version
        )
        member = member_of(by)
        by_member = member is not None and member.pk == enquiry.member_id
        if by_member or enquiry.escalation_level > 0:
            target = service_standards_for(enquiry.council).dissatisfied_escalation_to
        else:
            target = EscalationTarget.DIRECTOR
        director = None
        if target == EscalationTarget.DIRECTOR and enquiry.directorate_id is not None:
            director = enquiry.directorate.director_id
        enquiry.status = status
        enquiry.escalation_level += 1
        enquiry.escalated_at = now
        enquiry.escalated_to = target
        enquiry.response_due = enquiry.clock_due()
        save_new_version(
            enquiry,
            update_fields=[
                "status",
                "escalation_level",
                "escalated_at",
                "escalated_to",
                "response_due",
            ],
        )
        _record(
            enquiry,
            by=by,
            action=EnquiryAction.ESCALATED,
            at=now,
            note=reason,
            detail={
                "to": str(target),
                "director": director,
                "level": enquiry.escalation_level,
                "by_member": by_member,
            },
        )
        # Notifications: tell whoever it is escalated to, and the assignee.
        notifications.tell_escalation(enquiry, target=target, now=now)
        return enquiry


# When the calendar changes -----------------------------------------------------------------


_RECOMPUTE_UPDATE = """
UPDATE complaints_enquiry AS enquiry
SET first_response_due = changed.first_response_due,
    full_response_due = changed.full_response_due,
    response_due = changed.response_due,
    version = enquiry.version + 1,
    updated_at = %s
FROM unnest(%s::bigint[], %s::date[], %s::date[], %s::date[])
    AS changed (id, first_response_due, full_response_due, response_due)
WHERE enquiry.id = changed.id
"""


def recompute_due_dates(*, council: Council, by) -> int:
    """Recount the due dates of the council's open enquiries after its working-day calendar
    changed (a closure day added or removed, a bank holiday announced, another nation,
    cut-off or convention), and record the change on each enquiry whose dates moved
    (DESIGN.md, The working-day calendar). Returns how many moved.

    Set-based, so its cost in queries does not grow with the number of enquiries: one read of
    the open enquiries (locked), one UPDATE of those that moved (from arrays, with unnest;
    the same statement writes their members' and assignees' notifications), one INSERT of
    their timeline entries. Each receipt day comes from the calendar's own
    ``receipt_day`` (in memory, so the rule stays in council.calendar), and the due dates for
    all of them at once from its vectorised ``bulk_due_dates``. Each enquiry keeps the
    working days of the standard it was logged under. Closed enquiries keep the dates they
    were answered against.
    """
    now = timezone.now()
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council.objects.select_for_update().get(pk=council.pk)
        rows = list(
            Enquiry.objects.select_for_update()
            .filter(council_id=council.pk)
            .exclude(status=EnquiryStatus.CLOSED)
            .order_by("pk")
            .values_list(
                "pk",
                "received_at",
                "first_response_days",
                "full_response_days",
                "first_response_due",
                "full_response_due",
                "status",
                "acknowledged_at",
                "holding_response_at",
                "responded_at",
                "holding_response_extends",
            )
        )
        if not rows:
            return 0
        calendar = calendar_for(council)
        receipt_days = np.array(
            [calendar.receipt_day(row[1]) for row in rows], dtype="datetime64[D]"
        )
        first_dues = calendar.bulk_due_dates(receipt_days, np.array([row[2] for row in rows]))
        full_dues = calendar.bulk_due_dates(receipt_days, np.array([row[3] for row in rows]))
        ids, firsts, fulls, responses, events = [], [], [], [], []
        for row, first_due, full_due in zip(
            rows, first_dues.tolist(), full_dues.tolist(), strict=True
        ):
            pk, _received, _first_days, _full_days, old_first, old_full, status, *flags = row
            if (first_due, full_due) == (old_first, old_full):
                continue
            acknowledged_at, holding_at, responded_at, extends = flags
            clock = response_clock(
                status=status,
                acknowledged=acknowledged_at is not None,
                holding=holding_at is not None,
                responded=responded_at is not None,
                extends=extends,
            )
            ids.append(pk)
            firsts.append(first_due)
            fulls.append(full_due)
            responses.append(
                {FIRST_RESPONSE: first_due, FULL_RESPONSE: full_due}.get(clock, NO_RESPONSE_DUE)
            )
            events.append(
                EnquiryEvent(
                    enquiry_id=pk,
                    council_id=council.pk,
                    at=now,
                    by=by if isinstance(by, User) else None,
                    actor=actor_of(by),
                    action=EnquiryAction.DUE_DATES_RECOMPUTED,
                    note="",
                    detail={
                        "reason": "The council's working-day calendar changed.",
                        "first_response_due": {"from": _iso(old_first), "to": _iso(first_due)},
                        "full_response_due": {"from": _iso(old_full), "to": _iso(full_due)},
                    },
                )
            )
        if not ids:
            return 0
        # Notifications: the same statement tells each member and assignee their dates moved.
        notifications.move_due_dates_and_tell(
            update_sql=_RECOMPUTE_UPDATE, params=[now, ids, firsts, fulls, responses], now=now
        )
        EnquiryEvent.objects.bulk_create(events)
        return len(ids)


# When an officer leaves --------------------------------------------------------------------


def flag_enquiries_for_reassignment(*, officer: Officer, by) -> int:
    """Flag the open enquiries assigned to ``officer``, who has just left (the HR sync's
    ``active: false``; API.md, Officers), as waiting for reassignment, and tell whoever should
    reassign them: the leaver's line manager, or, when they have none still in post, the
    director of the enquiry's directorate. Returns how many were flagged.

    Called in the transaction that made the officer a leaver (council.signals.officer_left),
    so the flags commit with it. The enquiries stay assigned (their history is kept) until
    someone reassigns them; each flagged one gets a new version. Flagging twice changes
    nothing. One UPDATE for all of them, then one notification per enquiry.
    """
    # Imported here so that this function, added for the HR sync, stays self-contained.
    from django.db.models import F

    from core.notifications.services import notify

    now = timezone.now()
    with transaction.atomic(), acting_as(actor_of(by)):
        flagged = list(
            Enquiry.objects.select_for_update(of=("self",))
            .filter(
                council_id=officer.council_id,
                assigned_officer_id=officer.pk,
                reassignment_needed_since__isnull=True,
            )
            .exclude(status=EnquiryStatus.CLOSED)
            .select_related("directorate__director")
            .order_by("pk")
        )
        if not flagged:
            return 0
        Enquiry.objects.filter(pk__in=[enquiry.pk for enquiry in flagged]).update(
            reassignment_needed_since=now, version=F("version") + 1, updated_at=now
        )
        manager = officer.line_manager if officer.line_manager_id else None
        if manager is not None and not manager.active:
            manager = None
        for enquiry in flagged:
            enquiry.reassignment_needed_since = now
            recipient = manager
            if recipient is None and enquiry.directorate is not None:
                recipient = enquiry.directorate.director
            if recipient is None or not recipient.active:
                continue
            # Notifications: whoever reassigns it (the subject names only the reference).
            notify(
                recipients=[recipient],
                kind=NotificationKind.REASSIGNMENT_NEEDED,
                subject=f"Enquiry {enquiry.reference} needs reassigning: its officer has left",
                resource=enquiry,
                dedupe_key_base=f"enquiry:{enquiry.pk}:reassign:{now.isoformat()}",
                now=now,
            )
        return len(flagged)
