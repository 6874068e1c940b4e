"""The complaint stage deadline sweep: reminders to stage owners and overdue notices to the
Monitoring Officer (DESIGN.md, Conduct complaints; issue 6), run beside the enquiry sweep by
Celery beat (complaints.tasks) and ``manage.py sweep_deadlines``.

- one working day before an open stage's due date (or on the day itself), its owner is
  reminded;
- once the stage is overdue (from 00:00 Europe/London the day after its due date) the
  Monitoring Officer is told — the deputies instead when the Monitoring Officer is a party —
  and the stage history records it (``overdue``, by ``task:sweep``).

Exactly once each, whatever runs twice or at once: the stage's ``reminded_at`` and
``overdue_reported_at`` are set by an UPDATE that only takes stages where they are still
empty (a concurrent sweep waits on the row lock, then finds them set), and every notification
has a unique ``dedupe_key`` written with INSERT ... ON CONFLICT DO NOTHING. Everything a
sweep does commits together.

Set-based like complaints.sweep: the working-day arithmetic is done per council in Python
(today and the next working day), passed as arrays, and one statement finds and acts on
every due stage of every council, so the number of queries does not grow with the number of
complaints. It reads the partial index ``complaint_stage_open_due``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from core.audit import acting_as
from core.notifications.services import enqueue_after_commit
from council.calendar import calendar_for, local_date
from council.models import Council

from .choices import ComplaintStatus, HistoryAction

ACTOR = "task:sweep"

_SWEEP = """
WITH params AS (
    SELECT * FROM unnest(%(councils)s::bigint[], %(todays)s::date[], %(remind_untils)s::date[])
        AS p (council_id, today, remind_until)
),
reminded AS (
    UPDATE complaints_complaintstage AS stage
    SET reminded_at = %(now)s
    FROM params, complaints_complaint AS complaint
    WHERE stage.council_id = params.council_id
      AND complaint.id = stage.complaint_id
      AND complaint.status = %(open)s
      AND stage.closed_at IS NULL
      AND stage.reminded_at IS NULL
      AND stage.due_date <= %(latest_remind_until)s
      AND stage.due_date <= params.remind_until
      AND stage.due_date >= params.today
    RETURNING stage.id, stage.complaint_id, stage.council_id, stage.due_date,
              stage.owner_member_id, stage.owner_officer_id,
              stage.complainant_officer_id, stage.subject_officer_id, complaint.reference
),
overdue AS (
    UPDATE complaints_complaintstage AS stage
    SET overdue_reported_at = %(now)s
    FROM params, complaints_complaint AS complaint
    WHERE stage.council_id = params.council_id
      AND complaint.id = stage.complaint_id
      AND complaint.status = %(open)s
      AND stage.closed_at IS NULL
      AND stage.overdue_reported_at IS NULL
      AND stage.due_date < %(latest_today)s
      AND stage.due_date < params.today
    RETURNING stage.id, stage.complaint_id, stage.council_id, stage.due_date,
              stage.owner_member_id, stage.owner_officer_id,
              stage.complainant_officer_id, stage.subject_officer_id, complaint.reference
),
history AS (
    INSERT INTO complaints_complainthistory
        (complaint_id, council_id, stage_id, at, by_id, actor, action, note, detail)
    SELECT complaint_id, council_id, id, %(now)s, NULL, %(actor)s, %(overdue_action)s, '',
           jsonb_build_object('due_date', to_char(due_date, 'YYYY-MM-DD'))
    FROM overdue
    RETURNING id
),
monitoring AS (
    -- Who hears of an overdue stage: the Monitoring Officer, or the deputies when the
    -- Monitoring Officer is a party to the complaint (or there is none).
    SELECT overdue.id AS stage_id, officer.user_id
    FROM overdue
    JOIN council_officer AS officer ON officer.council_id = overdue.council_id
    WHERE officer.active AND officer.user_id IS NOT NULL
      AND officer.id IS DISTINCT FROM overdue.complainant_officer_id
      AND officer.id IS DISTINCT FROM overdue.subject_officer_id
      AND (
          officer.statutory_role = 'monitoring_officer'
          OR (officer.statutory_role = 'deputy_monitoring_officer' AND NOT EXISTS (
              SELECT 1 FROM council_officer AS chief
              WHERE chief.council_id = overdue.council_id AND chief.active
                AND chief.statutory_role = 'monitoring_officer'
                AND chief.id IS DISTINCT FROM overdue.complainant_officer_id
                AND chief.id IS DISTINCT FROM overdue.subject_officer_id))
      )
),
told AS (
    SELECT reminded.id, reminded.complaint_id, reminded.council_id, reminded.due_date,
           reminded.reference, 'reminder' AS kind,
           COALESCE(member.user_id, officer.user_id) AS user_id
    FROM reminded
    LEFT JOIN council_member AS member ON member.id = reminded.owner_member_id
    LEFT JOIN council_officer AS officer
        ON officer.id = reminded.owner_officer_id AND officer.active
    UNION ALL
    SELECT overdue.id, overdue.complaint_id, overdue.council_id, overdue.due_date,
           overdue.reference, 'overdue' AS kind, monitoring.user_id
    FROM overdue JOIN monitoring ON monitoring.stage_id = overdue.id
),
notified AS (
    INSERT INTO notifications_notification
        (council_id, recipient_id, kind, subject, resource_type, resource_id, created_at,
         dedupe_key, email_attempts, email_last_error)
    SELECT council_id, user_id, kind,
           'Complaint ' || reference || CASE kind WHEN 'reminder' THEN ': stage due '
                                                 ELSE ': stage overdue, was due ' END
               || to_char(due_date, 'FMDD Mon YYYY'),
           'complaint', complaint_id, %(now)s,
           'complaint:' || complaint_id || ':stage:' || id || ':' || kind || ':'
               || to_char(due_date, 'YYYY-MM-DD') || ':user:' || user_id,
           0, ''
    FROM told
    WHERE user_id IS NOT NULL
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id
)
SELECT (SELECT count(*) FROM reminded), (SELECT count(*) FROM overdue),
       COALESCE((SELECT array_agg(id) FROM notified), '{}'::bigint[])
"""


@dataclass(frozen=True)
class StageSweepResult:
    reminded: int
    overdue: int
    notifications: int


def _parameters(now: datetime.datetime) -> dict | None:
    councils = list(Council.objects.order_by("pk"))
    if not councils:
        return None
    today = local_date(now)
    remind_untils = [calendar_for(council).working_days_after(today, 1) for council in councils]
    return {
        "councils": [council.pk for council in councils],
        "todays": [today] * len(councils),
        "remind_untils": remind_untils,
        "latest_remind_until": max(remind_untils),
        "latest_today": today,
        "now": now,
        "open": ComplaintStatus.OPEN.value,
        "actor": ACTOR,
        "overdue_action": HistoryAction.OVERDUE.value,
    }


def sweep_stage_deadlines(*, now: datetime.datetime | None = None) -> StageSweepResult:
    """Run the complaint stage sweep once, as at ``now`` (default: the current time). Safe to
    run again, or at the same time in another process: it does nothing twice."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware.")
    parameters = _parameters(now)
    if parameters is None:
        return StageSweepResult(reminded=0, overdue=0, notifications=0)
    with transaction.atomic(), acting_as(ACTOR):
        with connection.cursor() as cursor:
            cursor.execute(_SWEEP, parameters)
            reminded, overdue, ids = cursor.fetchone()
        enqueue_after_commit(list(ids))
    return StageSweepResult(reminded=reminded, overdue=overdue, notifications=len(ids))
