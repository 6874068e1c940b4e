"""The deadline sweep: reminders, overdue notices and escalation of member enquiries.

DESIGN.md, Member enquiries (city council protocol 10.3.1-10.3.2), run by Celery beat every
five minutes (``complaints.tasks``) and by ``manage.py sweep_deadlines [--now]``:

- one working day before the running clock's due date, the assignee is reminded;
- once overdue (from 00:00 Europe/London the day after the due date) the assignee and their
  line manager are told; with nobody assigned, the director of its directorate;
- after the council's ``escalate_after_overdue_days`` working days overdue, an enquiry not yet
  escalated escalates to the director of its directorate (status escalated, level 1, a
  timeline entry by ``task:sweep``), who is told, as is the assignee.

Exactly once, by the database rather than by hope: every notification has a unique
``dedupe_key`` naming its occasion (enquiry, kind, clock, due date or escalation level,
recipient) and is written with INSERT ... ON CONFLICT DO NOTHING, so a second or concurrent
sweep writes nothing twice; escalations lock their rows FOR UPDATE SKIP LOCKED and update
only enquiries still at level 0, so two sweeps never escalate one twice. Everything a sweep
does commits together: a worker killed mid-sweep leaves nothing half-done for the next run
to trip over, and the next run (five minutes later) does it all.

Set-based: the working-day arithmetic is done in Python for each council (a handful of
dates: today, the next working day, the latest due date that is far enough overdue to
escalate) and passed as arrays; two SQL statements then find and act on every due enquiry
of every council, so the number of queries does not grow with the number of enquiries.
Both read the partial index ``enquiry_awaiting_response_due``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.audit import acting_as
from core.notifications.services import enqueue_written_at_after_commit
from council.calendar import calendar_for, local_date
from council.models import Council

from .choices import AWAITING_RESPONSE_STATUSES, EnquiryAction, EnquiryStatus, EscalationTarget

ACTOR = "task:sweep"
DEFAULT_ESCALATE_AFTER_OVERDUE_DAYS = 2
ESCALATION_NOTE = "Escalated automatically: the response is overdue."
_AWAITING = sorted(AWAITING_RESPONSE_STATUSES)

_PARAMS = """
params AS (
    SELECT * FROM unnest(%(councils)s::bigint[], %(todays)s::date[], %(remind_untils)s::date[],
                         %(escalate_bys)s::date[], %(escalate_days)s::int[])
        AS p (council_id, today, remind_until, escalate_by, escalate_days)
)"""

_NOTIFICATION_COLUMNS = """
INSERT INTO notifications_notification
    (council_id, recipient_id, kind, subject, resource_type, resource_id, created_at,
     dedupe_key, email_attempts, email_last_error)"""

# Reminders (due today or on the next working day) and overdue notices, in one statement.
_REMIND_AND_OVERDUE = f"""
WITH {_PARAMS},
due AS (
    SELECT enquiry.id, enquiry.council_id, enquiry.reference, enquiry.response_due,
           enquiry.assigned_officer_id, enquiry.directorate_id,
           CASE WHEN enquiry.response_due = enquiry.first_response_due
                THEN 'first_response' ELSE 'full_response' END AS clock,
           enquiry.response_due < params.today AS overdue
    FROM complaints_enquiry AS enquiry
    JOIN params ON params.council_id = enquiry.council_id
    WHERE enquiry.status IN %(awaiting)s
      AND enquiry.response_due <= %(latest_remind_until)s
      AND enquiry.response_due <= params.remind_until
      AND (enquiry.assigned_officer_id IS NOT NULL OR enquiry.response_due < params.today)
),
told AS (
    SELECT due.*, 'reminder' AS kind, officer.user_id
    FROM due JOIN council_officer AS officer ON officer.id = due.assigned_officer_id
    WHERE NOT due.overdue
    UNION ALL
    SELECT due.*, 'overdue' AS kind, officer.user_id
    FROM due JOIN council_officer AS officer ON officer.id = due.assigned_officer_id
    WHERE due.overdue
    UNION ALL
    SELECT due.*, 'overdue' AS kind, manager.user_id
    FROM due
    JOIN council_officer AS officer ON officer.id = due.assigned_officer_id
    JOIN council_officer AS manager ON manager.id = officer.line_manager_id
    WHERE due.overdue AND manager.active
    UNION ALL
    -- Overdue with nobody assigned: the director of its directorate answers for it.
    SELECT due.*, 'overdue' AS kind, director.user_id
    FROM due
    JOIN council_directorate AS directorate ON directorate.id = due.directorate_id
    JOIN council_officer AS director ON director.id = directorate.director_id
    WHERE due.overdue AND due.assigned_officer_id IS NULL AND director.active
),
notified AS (
{_NOTIFICATION_COLUMNS}
SELECT council_id, user_id, kind,
       'Enquiry ' || reference || CASE kind WHEN 'reminder' THEN ': response due '
                                           ELSE ': response overdue, was due ' END
           || to_char(response_due, 'FMDD Mon YYYY'),
       'enquiry', id, %(now)s,
       'enquiry:' || id || ':' || kind || ':' || clock || ':'
           || to_char(response_due, 'YYYY-MM-DD') || ':user:' || user_id,
       0, ''
FROM told
WHERE user_id IS NOT NULL
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING 1
)
SELECT count(*) FROM notified
"""  # noqa: S608 - composed of constants only

# Escalation to the directorate's director, its timeline entries and its notifications.
_ESCALATE = f"""
WITH {_PARAMS},
candidates AS (
    SELECT enquiry.id, params.today
    FROM complaints_enquiry AS enquiry
    JOIN params ON params.council_id = enquiry.council_id
    WHERE enquiry.status IN %(awaiting)s
      AND enquiry.response_due <= %(latest_escalate_by)s
      AND enquiry.response_due <= params.escalate_by
      AND enquiry.response_due < params.today
      AND enquiry.escalation_level = 0
    ORDER BY enquiry.id
    FOR UPDATE OF enquiry SKIP LOCKED
),
escalated AS (
    UPDATE complaints_enquiry AS enquiry
    SET status = %(escalated)s,
        escalation_level = enquiry.escalation_level + 1,
        escalated_at = %(now)s,
        escalated_to = %(director)s,
        version = enquiry.version + 1,
        updated_at = %(now)s
    FROM candidates
    WHERE enquiry.id = candidates.id AND enquiry.escalation_level = 0
    RETURNING enquiry.id, enquiry.council_id, enquiry.reference, enquiry.directorate_id,
              enquiry.assigned_officer_id, enquiry.escalation_level, enquiry.response_due
),
events AS (
    INSERT INTO complaints_enquiryevent (enquiry_id, council_id, at, by_id, actor, action,
                                         note, detail)
    SELECT escalated.id, escalated.council_id, %(now)s, NULL, %(actor)s, %(action)s, %(note)s,
           jsonb_build_object(
               'to', %(director)s, 'director', directorate.director_id,
               'level', escalated.escalation_level, 'by_member', false,
               'due', to_char(escalated.response_due, 'YYYY-MM-DD'),
               'working_days_overdue_at_least', params.escalate_days)
    FROM escalated
    JOIN params ON params.council_id = escalated.council_id
    LEFT JOIN council_directorate AS directorate ON directorate.id = escalated.directorate_id
    RETURNING id
),
told AS (
    SELECT escalated.*, director.user_id
    FROM escalated
    JOIN council_directorate AS directorate ON directorate.id = escalated.directorate_id
    JOIN council_officer AS director ON director.id = directorate.director_id
    WHERE director.active
    UNION
    SELECT escalated.*, officer.user_id
    FROM escalated JOIN council_officer AS officer ON officer.id = escalated.assigned_officer_id
),
notified AS (
    {_NOTIFICATION_COLUMNS}
    SELECT council_id, user_id, 'escalated',
           'Enquiry ' || reference || ' has been escalated', 'enquiry', id, %(now)s,
           'enquiry:' || id || ':escalated:' || escalation_level || ':user:' || user_id,
           0, ''
    FROM told
    WHERE user_id IS NOT NULL
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM escalated), (SELECT count(*) FROM events),
       (SELECT count(*) FROM notified)
"""  # noqa: S608 - composed of constants only


@dataclass(frozen=True)
class SweepResult:
    escalated: int
    notifications: int


def escalation_threshold(calendar, today: datetime.date, days: int) -> datetime.date:
    """The latest due date at least ``days`` working days overdue on ``today`` (and at least
    overdue: before ``today``)."""
    day = today - datetime.timedelta(days=1)
    for _ in range(5 * 366):
        if calendar.working_days_between(day, today) >= days:
            return day
        day -= datetime.timedelta(days=1)
    return day


def _parameters(now: datetime.datetime) -> dict | None:
    councils = list(
        Council.objects.annotate(
            escalate_days=Coalesce(
                "service_standard__escalate_after_overdue_days",
                Value(DEFAULT_ESCALATE_AFTER_OVERDUE_DAYS),
            )
        ).order_by("pk")
    )
    if not councils:
        return None
    today = local_date(now)
    ids, todays, remind_untils, escalate_bys, escalate_days = [], [], [], [], []
    for council in councils:
        calendar = calendar_for(council)
        ids.append(council.pk)
        todays.append(today)
        remind_untils.append(calendar.working_days_after(today, 1))
        escalate_bys.append(escalation_threshold(calendar, today, council.escalate_days))
        escalate_days.append(council.escalate_days)
    return {
        "councils": ids,
        "todays": todays,
        "remind_untils": remind_untils,
        "escalate_bys": escalate_bys,
        "escalate_days": escalate_days,
        "latest_remind_until": max(remind_untils),
        "latest_escalate_by": max(escalate_bys),
        "awaiting": tuple(_AWAITING),
        "now": now,
        "escalated": EnquiryStatus.ESCALATED.value,
        "director": EscalationTarget.DIRECTOR.value,
        "actor": ACTOR,
        "action": EnquiryAction.ESCALATED.value,
        "note": ESCALATION_NOTE,
    }


def sweep_deadlines(*, now: datetime.datetime | None = None) -> SweepResult:
    """Run the deadline sweep once, as at ``now`` (default: the current time). Safe to run
    again, or at the same time in another process: it does nothing twice."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware.")
    parameters = _parameters(now)
    if parameters is None:
        return SweepResult(escalated=0, notifications=0)
    with transaction.atomic(), acting_as(ACTOR):
        with connection.cursor() as cursor:
            cursor.execute(_ESCALATE, parameters)
            escalated, _events, escalation_notices = cursor.fetchone()
            cursor.execute(_REMIND_AND_OVERDUE, parameters)
            (notices,) = cursor.fetchone()
        if escalation_notices or notices:
            # Every row this sweep wrote carries created_at = now: one message hands them all
            # to a worker (one per row, or per chunk of ids, was most of a large sweep's time).
            enqueue_written_at_after_commit(now)
    return SweepResult(escalated=escalated, notifications=escalation_notices + notices)
