"""Demo conduct complaints (seed_demo): a few complaints in different stages, built through
the services so their routes, owners, due dates and history are real.

- an officer's concern about a councillor, at its first stage (the officer's manager);
- a councillor's complaint about an officer, escalated to the Monitoring Officer;
- harassment between councillors with one incident recorded (a warning), overdue at the
  group leader;
- an officer's complaint about a councillor, resolved informally;
- a counter-complaint by that councillor against the officer (possible victimisation).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from council.models import Member, Officer

from . import services

BY = "command:seed_demo"


def _officer(council, number: str) -> Officer:
    return Officer.objects.get(council=council, employee_number=number)


def _member(council, name: str) -> Member:
    return Member.objects.get(council=council, full_name=name)


def build_demo_complaints(council) -> None:
    """Add the demo complaints to the demo council (once: seed_demo is idempotent)."""
    now = timezone.now()
    today = timezone.localdate()

    def ago(days: int) -> datetime.datetime:
        return now - datetime.timedelta(days=days)

    def on(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    dan, maya, kwame = (
        _officer(council, "E1011"),
        _officer(council, "E1012"),
        _officer(council, "E1031"),
    )
    jane, colin = _member(council, "Jane Whitfield"), _member(council, "Colin Burke")
    gareth, susan = _member(council, "Gareth Lloyd"), _member(council, "Susan Doyle")
    aisha = _member(council, "Aisha Rahman")

    services.raise_complaint(
        council=council,
        by=BY,
        complainant=dan,
        subject=jane,
        categories=["bullying", "undue_pressure"],
        description="Cllr Whitfield repeatedly pressed me to reorder the resurfacing list so "
        "her ward came first, and raised her voice when I explained the criteria.",
        incidents=[
            {"occurred_on": on(12), "description": "Phone call about the resurfacing list."},
            {"occurred_on": on(5), "description": "Raised her voice at the ward surgery."},
        ],
        now=ago(4),
    )
    escalated = services.raise_complaint(
        council=council,
        by=BY,
        complainant=colin,
        subject=maya,
        categories=["discourtesy"],
        description="Ms Patel was dismissive when I reported missed bin collections.",
        incidents=[{"occurred_on": on(20), "description": "At the depot."}],
        now=ago(18),
    )
    services.escalate_complaint(
        complaint=escalated,
        by=BY,
        reason="The informal discussion did not settle it.",
        now=ago(6),
    )
    services.raise_complaint(
        council=council,
        by=BY,
        complainant=gareth,
        subject=susan,
        categories=["harassment"],
        description="Cllr Doyle posted about me on social media.",
        incidents=[{"occurred_on": on(30), "description": "A post naming me."}],
        now=ago(25),
    )
    resolved = services.raise_complaint(
        council=council,
        by=BY,
        complainant=kwame,
        subject=aisha,
        categories=["political_impartiality"],
        description="Cllr Rahman asked me to attend a party campaign event in work time.",
        incidents=[{"occurred_on": on(40), "description": "E-mail invitation."}],
        now=ago(35),
    )
    services.resolve_complaint(
        complaint=resolved,
        by=BY,
        outcome="resolved_informally",
        note="Cllr Rahman apologised and the manager explained the restrictions.",
        now=ago(28),
    )
    services.raise_complaint(
        council=council,
        by=BY,
        complainant=jane,
        subject=dan,
        categories=["discourtesy"],
        description="Mr Hughes was curt with me on the phone.",
        incidents=[{"occurred_on": on(3), "description": "Phone call."}],
        now=ago(2),
    )
