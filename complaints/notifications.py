"""Who is told about an enquiry, and in what words: the enquiry services' outbox rows.

Called by ``complaints.services`` inside their transactions (and mirrored in SQL by the
deadline sweep, ``complaints.sweep``, whose dedupe keys have the same shape). Subjects name
the enquiry's reference, never its subject or the constituent (DESIGN.md, Security decisions).
"""

from __future__ import annotations

import datetime

from core.notifications.choices import NotificationKind
from core.notifications.services import notify
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
