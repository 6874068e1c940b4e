"""Who is told about an enquiry, and in what words: the enquiry services' outbox rows.

Called by ``complaints.services`` inside their transactions (and mirrored in SQL by the
deadline sweep, ``complaints.sweep``, whose dedupe keys have the same shape). Subjects name
the enquiry's reference, never its subject or the constituent (DESIGN.md, Security decisions).
"""

from __future__ import annotations

import datetime

from django.db import connection

from core.notifications.choices import NotificationKind
from core.notifications.services import enqueue_after_commit, notify
from council.choices import Seniority, StatutoryRole, Team
from council.models import Officer

from .choices import EscalationTarget


def tell_assignee(enquiry, *, now: datetime.datetime) -> None:
    """The officer an enquiry was just given to (once per assignment: the key carries the
    enquiry's version after the change)."""
    if enquiry.assigned_officer_id is None:
        return
    notify(
        recipients=[enquiry.assigned_officer],
        kind=NotificationKind.ASSIGNED,
        subject=f"Enquiry {enquiry.reference} has been assigned to you",
        resource=enquiry,
        dedupe_key_base=f"enquiry:{enquiry.pk}:assigned:{enquiry.version}",
        now=now,
    )


def escalation_target_officers(enquiry, target: str) -> list[Officer]:
    """The people an escalation to ``target`` reaches: the director of the enquiry's
    directorate; the Chief Executive (or head of paid service); or the Director of Legal and
    Governance (a director in the legal team, else the Monitoring Officer) — city council
    protocol 10.3.2."""
    if target == EscalationTarget.DIRECTOR:
        directorate = enquiry.directorate
        director = directorate.director if directorate is not None else None
        return [director] if director is not None and director.active else []
    officers = Officer.objects.filter(council_id=enquiry.council_id, active=True)
    if target == EscalationTarget.CHIEF_EXECUTIVE:
        found = officers.filter(seniority=Seniority.CHIEF_EXECUTIVE) | officers.filter(
            statutory_role=StatutoryRole.HEAD_OF_PAID_SERVICE
        )
        return list(found.distinct())
    legal_directors = officers.filter(
        teams__contains=[Team.LEGAL],
        seniority__in=[Seniority.DIRECTOR, Seniority.EXECUTIVE_DIRECTOR],
    )
    found = list(legal_directors) or list(
        officers.filter(statutory_role=StatutoryRole.MONITORING_OFFICER)
    )
    return found


def tell_escalation(enquiry, *, target: str, now: datetime.datetime) -> None:
    """Whoever the enquiry was escalated to, and its assignee (once per escalation level)."""
    notify(
        recipients=[*escalation_target_officers(enquiry, target), enquiry.assigned_officer],
        kind=NotificationKind.ESCALATED,
        subject=f"Enquiry {enquiry.reference} has been escalated",
        resource=enquiry,
        dedupe_key_base=f"enquiry:{enquiry.pk}:escalated:{enquiry.escalation_level}",
        now=now,
    )


# The member is told of each step on their enquiry ----------------------------------------

MEMBER_NEWS = {
    NotificationKind.ACKNOWLEDGED: "Your enquiry {reference} has been acknowledged",
    NotificationKind.HOLDING_RESPONSE: "Your enquiry {reference} has a holding response",
    NotificationKind.RESPONDED: "Your enquiry {reference} has been answered",
}


def tell_member(enquiry, *, kind: str, now: datetime.datetime) -> None:
    """The enquiry's member, through their account if they have one (city council protocol
    10.3.1: acknowledged, held with reasons, answered). Once per step: the key carries the
    enquiry's version after the change. The subject names only the reference; the member reads
    the reasons and the response on the enquiry's page."""
    notify(
        recipients=[enquiry.member],
        kind=kind,
        subject=MEMBER_NEWS[kind].format(reference=enquiry.reference),
        resource=enquiry,
        dedupe_key_base=f"enquiry:{enquiry.pk}:{kind}:{enquiry.version}",
        now=now,
    )


# Moving the due dates of many enquiries and telling their members and assignees, in one
# statement (``recompute_due_dates`` stays set-based): ``{update}`` is its UPDATE, whose
# RETURNING gives each moved enquiry's new version for the dedupe key.
_MOVE_AND_TELL = """
WITH moved AS (
    {update}
    RETURNING enquiry.id, enquiry.council_id, enquiry.reference, enquiry.version,
              enquiry.member_id, enquiry.assigned_officer_id
), told AS (
    SELECT moved.*, person.user_id FROM moved
    JOIN council_member AS person ON person.id = moved.member_id
    WHERE person.user_id IS NOT NULL
    UNION
    SELECT moved.*, person.user_id FROM moved
    JOIN council_officer AS person ON person.id = moved.assigned_officer_id
    WHERE person.user_id IS NOT NULL
)
INSERT INTO notifications_notification
    (council_id, recipient_id, kind, subject, resource_type, resource_id, created_at,
     dedupe_key, email_attempts, email_last_error)
SELECT council_id, user_id, %s, 'The due dates of enquiry ' || reference || ' have changed',
       'enquiry', id, %s,
       'enquiry:' || id || ':due_dates_changed:' || version || ':user:' || user_id, 0, ''
FROM told
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id
"""


def move_due_dates_and_tell(*, update_sql: str, params: list, now: datetime.datetime) -> None:
    """Run ``update_sql`` (an UPDATE of ``complaints_enquiry AS enquiry``) and tell the member
    and the assignee of each enquiry it moved that its due dates changed, once per change."""
    with connection.cursor() as cursor:
        cursor.execute(
            _MOVE_AND_TELL.format(update=update_sql.strip()),
            [*params, NotificationKind.DUE_DATES_CHANGED.value, now],
        )
        ids = [row[0] for row in cursor.fetchall()]
    enqueue_after_commit(ids)
