"""Every change to a conduct complaint and to the council's complaint routes (DESIGN.md,
Conduct complaints; city council protocol 15; taunton-deane-protocol-report-2010.txt,
harassment protocol).

Each function takes keyword arguments with the acting person (``by``: a User, or a process
name such as ``"task:sweep"``), opens its own transaction, locks the complaint, checks who may
act (complaints.conduct.permissions: 403), the caller's version (412) and the action against
``choices.COMPLAINT_TRANSITIONS`` (409), then writes the change, its stage history entries
(append-only) and its notifications (content-free: the subject line names the reference
only; DESIGN.md, Security decisions). Bad input raises ``ValidationError`` naming the field
before anything is written. ``now`` defaults to the current time.
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core.audit import acting_as
from core.errors import Conflict
from core.notifications.choices import NotificationKind
from core.notifications.services import notify
from core.versioning import check_version, save_new_version
from council.calendar import LONDON, calendar_for, local_date
from council.choices import StatutoryRole
from council.models import Council, Member, Officer, User
from council.roles import member_of, officer_of
from council.services import actor_of
from protocols.models import Clause
from protocols.selectors import version_in_force
from relationships.selectors import have_conflict

from . import permissions, routing
from .choices import (
    ACTION_PAST_TENSE,
    COMPLAINT_TRANSITIONS,
    DECISION_OUTCOMES,
    ComplaintCategory,
    HistoryAction,
    OwnerRule,
    ProtectedCharacteristic,
    StageOutcome,
)
from .models import (
    CitedClause,
    Complaint,
    ComplaintEvidence,
    ComplaintHistory,
    ComplaintIncident,
    ComplaintInvestigator,
    ComplaintStage,
    ComplaintView,
    Route,
    RouteStage,
)

REFERENCE_PREFIX = "CMP"
MAX_INCIDENTS = 50
SUBSTITUTION_NOTE = (
    "The person the stage's rule names could not take this stage; it passed to the next person up."
)
NO_OWNER_NOTE = (
    "Nobody independent of the parties was found for this stage: the Monitoring Officer "
    "should assign it."
)
# Evidence: what may be uploaded (by content, not only by name) and how large.
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".txt": ("text/plain", ()),
}
DEFAULT_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_max_bytes() -> int:
    return int(getattr(settings, "COUNCILCASE_EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


# Routes ----------------------------------------------------------------------------------------


def seed_routes(*, council: Council) -> int:
    """Give ``council`` the default routes it does not have yet (idempotent)."""
    return routing.seed_default_routes(council.pk, Route, RouteStage)


def route_for(*, council: Council, complainant, subject) -> Route:
    """The council's route for a complaint by ``complainant`` about ``subject``."""
    kind = routing.route_kind_for(complainant, subject)
    route = Route.objects.filter(council_id=council.pk, kind=kind).first()
    if route is None:
        seed_routes(council=council)
        route = Route.objects.get(council_id=council.pk, kind=kind)
    return route


ROUTE_STAGE_FIELDS = ("name", "owner_rule", "target_working_days", "allowed_outcomes")


def _check_stage_fields(fields: Mapping) -> dict:
    errors = {}
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = (fields["name"] or "").strip()
        if not cleaned["name"]:
            errors["name"] = ["Enter the stage's name."]
    if "owner_rule" in fields and fields["owner_rule"] not in OwnerRule.values:
        errors["owner_rule"] = ["Choose who owns the stage from the list."]
    if "target_working_days" in fields:
        days = fields["target_working_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 250:
            errors["target_working_days"] = ["Give a whole number of working days, 1 to 250."]
    if "allowed_outcomes" in fields:
        outcomes = list(dict.fromkeys(fields["allowed_outcomes"] or []))
        if not outcomes or any(o not in DECISION_OUTCOMES for o in outcomes):
            errors["allowed_outcomes"] = ["Choose at least one outcome from the list."]
        cleaned["allowed_outcomes"] = outcomes
    if errors:
        raise ValidationError(errors)
    return cleaned


def update_route_stage(*, stage: RouteStage, by, expected_version=None, **fields) -> RouteStage:
    """Change a stage of a route (the Monitoring Officer). Stages already open keep the name,
    rule and due date they opened with; the change applies to stages opened from now on."""
    unknown = set(fields) - set(ROUTE_STAGE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    fields = _check_stage_fields(fields)
    if not permissions.is_system(by) and not permissions.may_manage_routes(by, stage.council_id):
        raise PermissionDenied("Only the Monitoring Officer edits complaint routes.")
    with transaction.atomic(), acting_as(actor_of(by)):
        locked = RouteStage.objects.select_for_update().get(pk=stage.pk)
        check_version(locked, expected_version)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, fields[name])
        return save_new_version(locked, update_fields=changed)


def add_route_stage(
    *, route: Route, by, name: str, owner_rule: str, target_working_days: int, allowed_outcomes
) -> RouteStage:
    """Add a stage at the end of ``route`` (the Monitoring Officer)."""
    fields = _check_stage_fields(
        {
            "name": name,
            "owner_rule": owner_rule,
            "target_working_days": target_working_days,
            "allowed_outcomes": allowed_outcomes,
        }
    )
    if not permissions.is_system(by) and not permissions.may_manage_routes(by, route.council_id):
        raise PermissionDenied("Only the Monitoring Officer edits complaint routes.")
    with transaction.atomic(), acting_as(actor_of(by)):
        locked = Route.objects.select_for_update().get(pk=route.pk)
        last = locked.stages.order_by("-order").values_list("order", flat=True).first() or 0
        stage = RouteStage.objects.create(
            route=locked, council_id=locked.council_id, order=last + 1, **fields
        )
        save_new_version(locked, update_fields=[])
        return stage


# Helpers ---------------------------------------------------------------------------------------


def _moment(now: datetime.datetime | None) -> datetime.datetime:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware.")
    return now


def _required_text(value, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: [message]})
    return text


def _record(
    complaint: Complaint,
    *,
    by,
    action: str,
    at: datetime.datetime,
    stage: ComplaintStage | None = None,
    note: str = "",
    detail=None,
) -> ComplaintHistory:
    return ComplaintHistory.objects.create(
        complaint=complaint,
        council_id=complaint.council_id,
        stage=stage,
        at=at,
        by=by if isinstance(by, User) else None,
        actor=actor_of(by),
        action=action,
        note=note,
        detail=detail or {},
    )


def _same(a, b) -> bool:
    return type(a) is type(b) and a.pk == b.pk


def _party(person) -> dict | None:
    if person is None:
        return None
    return {"type": "member" if isinstance(person, Member) else "officer", "id": person.pk}


def _party_columns(prefix: str, person) -> dict:
    return {
        f"{prefix}_member": person if isinstance(person, Member) else None,
        f"{prefix}_officer": person if isinstance(person, Officer) else None,
    }


def monitoring_officers(council_id: int) -> list[Officer]:
    """The council's Monitoring Officer and deputies still in post."""
    return list(
        Officer.objects.filter(
            council_id=council_id,
            active=True,
            statutory_role__in=[
                StatutoryRole.MONITORING_OFFICER,
                StatutoryRole.DEPUTY_MONITORING_OFFICER,
            ],
        ).order_by("id")
    )


def _monitoring_officers_not_parties(complaint: Complaint) -> list[Officer]:
    return [
        officer
        for officer in monitoring_officers(complaint.council_id)
        if officer.pk not in (complaint.complainant_officer_id, complaint.subject_officer_id)
    ]


def next_complaint_reference(council: Council, year: int) -> str:
    """The council's next complaint reference for ``year``, e.g. ``CMP-2026-000012`` (one
    statement; the counter row stays locked until the caller's transaction ends)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO complaints_complaintreferencecounter (council_id, year, last_number) "
            "VALUES (%s, %s, 1) ON CONFLICT (council_id, year) DO UPDATE "
            "SET last_number = complaints_complaintreferencecounter.last_number + 1 "
            "RETURNING last_number",
            [council.pk, year],
        )
        (number,) = cursor.fetchone()
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def _check_transition(complaint: Complaint, action: str) -> str | None:
    allowed, to_status = COMPLAINT_TRANSITIONS[action]
    if complaint.status not in allowed:
        raise Conflict(
            f"This complaint is {complaint.get_status_display().lower()}: it cannot be "
            f"{ACTION_PAST_TENSE[action]}.",
            code="invalid_transition",
        )
    return to_status


def _lock(action: str, *, complaint: Complaint, by, expected_version):
    """Lock the complaint, then check who is acting (403), the version (412) and the
    transition (409), in that order."""
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related(
            "council",
            "route",
            "current_stage",
            "complainant_member__political_group",
            "complainant_officer",
            "subject_member__political_group",
            "subject_officer__directorate__director",
        )
        .get(pk=complaint.pk)
    )
    permissions.require(by, action, locked)
    check_version(locked, expected_version)
    return locked, _check_transition(locked, action)


# Stages ----------------------------------------------------------------------------------------


def _open_stage(
    complaint: Complaint, route_stage: RouteStage, *, by, now: datetime.datetime
) -> ComplaintStage:
    """Open ``route_stage`` for ``complaint``: resolve its owner now (routing.resolve_owner),
    count its due date in the council's working days, grant the owner sight of the complaint,
    record it (and any substitution, without its reasons) and tell the owner."""
    resolution = routing.resolve_owner(
        route_stage.owner_rule,
        complainant=complaint.complainant,
        subject=complaint.subject,
        council_id=complaint.council_id,
        on=local_date(now),
    )
    calendar = calendar_for(complaint.council)
    due = calendar.working_days_after(calendar.receipt_day(now), route_stage.target_working_days)
    sequence = (
        ComplaintStage.objects.filter(complaint_id=complaint.pk)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
        or 0
    ) + 1
    owner = resolution.owner
    stage = ComplaintStage.objects.create(
        complaint=complaint,
        council_id=complaint.council_id,
        route_stage=route_stage,
        sequence=sequence,
        name=route_stage.name,
        owner_rule=route_stage.owner_rule,
        substituted=resolution.substituted,
        opened_at=now,
        target_working_days=route_stage.target_working_days,
        due_date=due,
        **_party_columns("owner", owner),
        **_party_columns("complainant", complaint.complainant),
        **_party_columns("subject", complaint.subject),
    )
    complaint.current_stage = stage
    _record(
        complaint,
        by=by,
        action=HistoryAction.STAGE_OPENED,
        at=now,
        stage=stage,
        detail={
            "stage": stage.name,
            "sequence": sequence,
            "owner": _party(owner),
            "due_date": due.isoformat(),
            "target_working_days": stage.target_working_days,
        },
    )
    if resolution.substituted:
        _record(
            complaint,
            by=by,
            action=HistoryAction.OWNER_SUBSTITUTED,
            at=now,
            stage=stage,
            note=SUBSTITUTION_NOTE,
            detail={"rule": stage.owner_rule, "passed_over": len(resolution.passed_over)},
        )
    if owner is None:
        _record(
            complaint, by=by, action=HistoryAction.NO_OWNER, at=now, stage=stage, note=NO_OWNER_NOTE
        )
        notify(
            recipients=_monitoring_officers_not_parties(complaint),
            kind=NotificationKind.ASSIGNED,
            subject=f"Complaint {complaint.reference}: a stage needs an owner",
            resource=complaint,
            dedupe_key_base=f"complaint:{complaint.pk}:stage:{stage.pk}:no_owner",
            now=now,
        )
        return stage
    _hand_stage_to(owner, complaint, stage, now=now, occasion="opened")
    return stage


def _hand_stage_to(owner, complaint, stage, *, now, occasion: str) -> None:
    """Let ``owner`` see the complaint and tell them the stage is theirs (content-free: the
    details are behind sign-in); ``occasion`` tells one handing from another, once each."""
    permissions.grant_view(owner, complaint)
    notify(
        recipients=[owner],
        kind=NotificationKind.STAGE_OPENED,
        subject=f"Complaint {complaint.reference}: a stage has been given to you",
        resource=complaint,
        dedupe_key_base=f"complaint:{complaint.pk}:stage:{stage.pk}:{occasion}",
        now=now,
    )


def _close_stage(stage: ComplaintStage | None, *, outcome: str, now: datetime.datetime) -> None:
    if stage is None:
        return
    stage.closed_at = now
    stage.outcome = outcome
    stage.save(update_fields=["closed_at", "outcome"])


def _tell_complainant(complaint: Complaint, *, kind: str, subject: str, occasion: str, now):
    notify(
        recipients=[complaint.complainant],
        kind=kind,
        subject=subject.format(reference=complaint.reference),
        resource=complaint,
        dedupe_key_base=f"complaint:{complaint.pk}:complainant:{occasion}:{complaint.version}",
        now=now,
    )


def _alert_victimisation(complaint: Complaint, *, by, now, occasion: str) -> None:
    """Tell the Monitoring Officer when the complaint may be victimisation (the subject of
    an open or recent complaint raising or escalating one against its complainant;
    taunton-deane harassment protocol), and record that they were told."""
    from .selectors import possible_victimisation

    if not possible_victimisation(complaint):
        return
    _record(complaint, by=by, action=HistoryAction.VICTIMISATION_ALERT, at=now)
    notify(
        recipients=_monitoring_officers_not_parties(complaint),
        kind=NotificationKind.ESCALATED,
        subject=f"Complaint {complaint.reference}: a warning needs your attention",
        resource=complaint,
        dedupe_key_base=f"complaint:{complaint.pk}:victimisation:{occasion}",
        now=now,
    )


# Raising ---------------------------------------------------------------------------------------


def _check_party(council: Council, person, field: str, errors: dict) -> None:
    if person is None:
        errors[field] = ["Say who this is."]
    elif not isinstance(person, Member | Officer) or person.council_id != council.pk:
        errors[field] = ["Choose a member or officer of this council."]
    elif isinstance(person, Officer) and not person.active:
        errors[field] = ["This officer has left the council."]


def _clean_incidents(incidents, today: datetime.date) -> list[dict]:
    cleaned, errors = [], {}
    incidents = list(incidents or [])
    if len(incidents) > MAX_INCIDENTS:
        raise ValidationError({"incidents": [f"Record at most {MAX_INCIDENTS} incidents."]})
    for index, incident in enumerate(incidents):
        occurred_on = incident.get("occurred_on")
        description = (incident.get("description") or "").strip()
        if not isinstance(occurred_on, datetime.date):
            errors[f"incidents.{index}.occurred_on"] = ["Give the date it happened."]
        elif occurred_on > today:
            errors[f"incidents.{index}.occurred_on"] = ["An incident cannot be in the future."]
        if not description:
            errors[f"incidents.{index}.description"] = ["Say what happened."]
        cleaned.append({"occurred_on": occurred_on, "description": description})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_categories(categories, protected_characteristic: str) -> tuple[list[str], str]:
    categories = list(dict.fromkeys(categories or []))
    errors = {}
    if not categories:
        errors["categories"] = ["Choose at least one kind of behaviour."]
    elif any(category not in ComplaintCategory.values for category in categories):
        errors["categories"] = ["Choose kinds of behaviour from the list."]
    characteristic = (protected_characteristic or "").strip()
    if ComplaintCategory.DISCRIMINATION in categories:
        if characteristic not in ProtectedCharacteristic.values:
            errors["protected_characteristic"] = [
                "For discrimination, choose the protected characteristic (Equality Act 2010)."
            ]
    elif characteristic:
        errors["protected_characteristic"] = [
            "A protected characteristic is given only for discrimination."
        ]
    if errors:
        raise ValidationError(errors)
    return categories, characteristic


def raise_complaint(
    *,
    council: Council,
    by,
    subject,
    categories: Iterable[str],
    description: str,
    complainant=None,
    protected_characteristic: str = "",
    incidents: Iterable[Mapping] = (),
    now: datetime.datetime | None = None,
) -> Complaint:
    """Raise a conduct complaint (or a concern) about ``subject`` and start it on its route.

    A member or officer raises it as themselves (``complainant`` defaults to them); the
    Monitoring Officer may record one for someone else. The route comes from who complains
    about whom (routing.route_kind_for); its first stage opens at once, with its owner
    resolved against the organisation. The Monitoring Officer is told, and alerted to
    possible victimisation.
    """
    now = _moment(now)
    if not permissions.is_system(by):
        if not permissions.may_raise(by) or by.council_id != council.pk:
            raise PermissionDenied("Only the council's members and officers raise concerns.")
        own = [record for record in (member_of(by), officer_of(by)) if record is not None]
        if complainant is None:
            complainant = own[0] if own else None
        elif not any(_same(record, complainant) for record in own) and not (
            permissions.is_monitoring_officer_of(by, council.pk)
        ):
            raise PermissionDenied("You can raise a concern for yourself only.")
    errors: dict[str, list[str]] = {}
    _check_party(council, complainant, "complainant", errors)
    _check_party(council, subject, "subject", errors)
    if not errors and _same(complainant, subject):
        errors["subject"] = ["A complaint is about someone else."]
    description = (description or "").strip()
    if not description:
        errors["description"] = ["Say what happened, in your own words."]
    if errors:
        raise ValidationError(errors)
    categories, characteristic = _clean_categories(categories, protected_characteristic)
    incidents = _clean_incidents(incidents, local_date(now))
    with transaction.atomic(), acting_as(actor_of(by)):
        route = route_for(council=council, complainant=complainant, subject=subject)
        first = route.stages.order_by("order").first()
        if first is None:
            raise Conflict(
                "This kind of complaint has no stages in its route: ask the Monitoring Officer.",
                code="route_without_stages",
            )
        complaint = Complaint.objects.create(
            council=council,
            reference=next_complaint_reference(council, now.astimezone(LONDON).year),
            categories=categories,
            protected_characteristic=characteristic,
            description=description,
            route=route,
            raised_at=now,
            raised_by=by if isinstance(by, User) else None,
            **_party_columns("complainant", complainant),
            **_party_columns("subject", subject),
        )
        ComplaintIncident.objects.bulk_create(
            ComplaintIncident(complaint=complaint, council=council, **incident)
            for incident in incidents
        )
        _record(
            complaint,
            by=by,
            action=HistoryAction.RAISED,
            at=now,
            detail={"route": route.kind, "categories": categories, "incidents": len(incidents)},
        )
        _open_stage(complaint, first, by=by, now=now)
        complaint.save(update_fields=["current_stage"])
        # Notifications: the Monitoring Officer (not when a party) learns of every complaint.
        notify(
            recipients=_monitoring_officers_not_parties(complaint),
            kind=NotificationKind.STAGE_OPENED,
            subject=f"New complaint {complaint.reference}",
            resource=complaint,
            dedupe_key_base=f"complaint:{complaint.pk}:raised",
            now=now,
        )
        _alert_victimisation(complaint, by=by, now=now, occasion="raised")
        return complaint


# The workflow ----------------------------------------------------------------------------------


def escalate_complaint(
    *, complaint: Complaint, by, reason: str, expected_version=None, now=None
) -> Complaint:
    """Move an open complaint to its route's next stage, with a reason: the complainant who
    remains dissatisfied, the stage's owner, or the Monitoring Officer. 409 at the last stage
    (it is resolved there). An escalation by a complainant who is the subject of an open or
    recent complaint by this one's subject alerts the Monitoring Officer (victimisation)."""
    now = _moment(now)
    reason = _required_text(reason, "reason", "Say why the complaint is being escalated.")
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, _status = _lock(
            "escalate", complaint=complaint, by=by, expected_version=expected_version
        )
        current = complaint.current_stage
        next_stage = (
            complaint.route.stages.filter(order__gt=current.route_stage.order)
            .order_by("order")
            .first()
            if current is not None
            else None
        )
        if next_stage is None:
            raise Conflict(
                "This complaint is at the last stage of its route: resolve it there.",
                code="invalid_transition",
            )
        _close_stage(current, outcome=StageOutcome.ESCALATED, now=now)
        _record(
            complaint,
            by=by,
            action=HistoryAction.ESCALATED,
            at=now,
            stage=current,
            note=reason,
            detail={"from": current.name, "to": next_stage.name},
        )
        _open_stage(complaint, next_stage, by=by, now=now)
        save_new_version(complaint, update_fields=["current_stage"])
        _tell_complainant(
            complaint,
            kind=NotificationKind.ESCALATED,
            subject="Your complaint {reference} has moved to its next stage",
            occasion="escalated",
            now=now,
        )
        if permissions.party_of(by, complaint) == permissions.COMPLAINANT:
            occasion = f"escalated:{complaint.version}"
            _alert_victimisation(complaint, by=by, now=now, occasion=occasion)
        return complaint


def reroute_complaint(
    *, complaint: Complaint, by, route: Route, reason: str, expected_version=None, now=None
) -> Complaint:
    """Move an open complaint to another of the council's routes, from its first stage (the
    Monitoring Officer, with a reason: DESIGN.md, Conduct complaints)."""
    now = _moment(now)
    reason = _required_text(reason, "reason", "Say why the complaint is being re-routed.")
    if route is None or route.council_id != complaint.council_id:
        raise ValidationError({"route": ["Choose one of this council's routes."]})
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, _status = _lock(
            "reroute", complaint=complaint, by=by, expected_version=expected_version
        )
        if not permissions.is_system(by) and not permissions.is_monitoring_officer_of(
            by, complaint.council_id
        ):
            raise PermissionDenied("Only the Monitoring Officer re-routes a complaint.")
        if route.pk == complaint.route_id:
            raise ValidationError({"route": ["The complaint is already on this route."]})
        first = route.stages.order_by("order").first()
        if first is None:
            raise ValidationError({"route": ["This route has no stages."]})
        current = complaint.current_stage
        _close_stage(current, outcome=StageOutcome.REROUTED, now=now)
        _record(
            complaint,
            by=by,
            action=HistoryAction.REROUTED,
            at=now,
            stage=current,
            note=reason,
            detail={"from": complaint.route.kind, "to": route.kind},
        )
        complaint.route = route
        _open_stage(complaint, first, by=by, now=now)
        save_new_version(complaint, update_fields=["route", "current_stage"])
        _tell_complainant(
            complaint,
            kind=NotificationKind.STAGE_OPENED,
            subject="Your complaint {reference} has moved to a new stage",
            occasion="rerouted",
            now=now,
        )
        return complaint


def resolve_complaint(
    *, complaint: Complaint, by, outcome: str, note: str = "", expected_version=None, now=None
) -> Complaint:
    """Decide an open complaint at its current stage with one of the stage's allowed
    outcomes (the stage's owner or the Monitoring Officer). The complainant is told, and the
    subject too once they have been told of the complaint."""
    now = _moment(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, status = _lock(
            "resolve", complaint=complaint, by=by, expected_version=expected_version
        )
        current = complaint.current_stage
        allowed = current.route_stage.allowed_outcomes if current is not None else []
        if outcome not in allowed:
            labels = ", ".join(str(StageOutcome(o).label).lower() for o in allowed)
            raise ValidationError({"outcome": [f"At this stage the outcome is one of: {labels}."]})
        _close_stage(current, outcome=outcome, now=now)
        complaint.status = status
        complaint.outcome = outcome
        complaint.outcome_note = (note or "").strip()
        complaint.resolved_at = now
        complaint.current_stage = None
        save_new_version(
            complaint,
            update_fields=["status", "outcome", "outcome_note", "resolved_at", "current_stage"],
        )
        _record(
            complaint,
            by=by,
            action=HistoryAction.RESOLVED,
            at=now,
            stage=current,
            note=complaint.outcome_note,
            detail={"outcome": outcome, "stage": current.name if current else None},
        )
        _tell_complainant(
            complaint,
            kind=NotificationKind.RESPONDED,
            subject="Your complaint {reference} has an outcome",
            occasion="resolved",
            now=now,
        )
        if complaint.subject_notified_at is not None:
            notify(
                recipients=[complaint.subject],
                kind=NotificationKind.RESPONDED,
                subject=f"Complaint {complaint.reference} has an outcome",
                resource=complaint,
                dedupe_key_base=f"complaint:{complaint.pk}:subject:resolved",
                now=now,
            )
        return complaint


def close_complaint(*, complaint: Complaint, by, expected_version=None, now=None) -> Complaint:
    """Close a resolved complaint: nothing more will happen on it (the Monitoring Officer)."""
    now = _moment(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, status = _lock(
            "close", complaint=complaint, by=by, expected_version=expected_version
        )
        complaint.status = status
        complaint.ended_at = now
        save_new_version(complaint, update_fields=["status", "ended_at"])
        _record(complaint, by=by, action=HistoryAction.CLOSED, at=now)
        return complaint


def withdraw_complaint(
    *, complaint: Complaint, by, reason: str = "", expected_version=None, now=None
) -> Complaint:
    """The complainant (or the Monitoring Officer for them) withdraws an open complaint; its
    current stage ends and its owner is told."""
    now = _moment(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, status = _lock(
            "withdraw", complaint=complaint, by=by, expected_version=expected_version
        )
        current = complaint.current_stage
        _close_stage(current, outcome=StageOutcome.WITHDRAWN, now=now)
        complaint.status = status
        complaint.ended_at = now
        complaint.current_stage = None
        save_new_version(complaint, update_fields=["status", "ended_at", "current_stage"])
        _record(
            complaint,
            by=by,
            action=HistoryAction.WITHDRAWN,
            at=now,
            stage=current,
            note=(reason or "").strip(),
        )
        if current is not None:
            notify(
                recipients=[current.owner],
                kind=NotificationKind.ESCALATED,
                subject=f"Complaint {complaint.reference} has been withdrawn",
                resource=complaint,
                dedupe_key_base=f"complaint:{complaint.pk}:withdrawn",
                now=now,
            )
        return complaint


def cite_clauses(
    *, complaint: Complaint, by, clauses: Iterable[Clause], expected_version=None, now=None
) -> Complaint:
    """Cite protocol clauses against an open complaint. Each must be a clause of its
    council's protocol version in force on the date of one of the complaint's incidents
    (DESIGN.md, Conduct complaints): any other version's clause is refused (400), naming it.
    Citing a clause already cited changes nothing."""
    now = _moment(now)
    clauses = list(dict.fromkeys(clauses))
    if not clauses:
        raise ValidationError({"clauses": ["Choose at least one clause."]})
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, _status = _lock(
            "cite", complaint=complaint, by=by, expected_version=expected_version
        )
        dates = sorted(set(complaint.incidents.values_list("occurred_on", flat=True))) or [
            local_date(complaint.raised_at)
        ]
        in_force: dict[int, set[int]] = {}
        wrong = []
        for clause in clauses:
            if clause.council_id != complaint.council_id:
                wrong.append(f"Clause {clause.number} is not one of this council's.")
                continue
            protocol_id = clause.version.protocol_id
            if protocol_id not in in_force:
                in_force[protocol_id] = {
                    version.pk
                    for version in (
                        version_in_force(protocol=clause.version.protocol, on=day) for day in dates
                    )
                    if version is not None
                }
            if clause.version_id not in in_force[protocol_id]:
                wrong.append(
                    f"Clause {clause.number} ({clause.version.label}) was not in force on the "
                    "date of any incident: cite the version in force then."
                )
        if wrong:
            raise ValidationError({"clauses": wrong})
        already = set(complaint.citations.values_list("clause_id", flat=True))
        new = [clause for clause in clauses if clause.pk not in already]
        if not new:
            return complaint
        CitedClause.objects.bulk_create(
            CitedClause(
                complaint=complaint,
                council_id=complaint.council_id,
                clause=clause,
                cited_at=now,
                cited_by=by if isinstance(by, User) else None,
            )
            for clause in new
        )
        save_new_version(complaint, update_fields=[])
        _record(
            complaint,
            by=by,
            action=HistoryAction.CITED,
            at=now,
            stage=complaint.current_stage,
            detail={"clauses": [clause.pk for clause in new], "numbers": [c.number for c in new]},
        )
        return complaint


def notify_subject(*, complaint: Complaint, by, expected_version=None, now=None) -> Complaint:
    """Tell the subject of the complaint (the stage's owner or the Monitoring Officer decide
    when): from now on the subject sees the complaint's progress and outcome."""
    now = _moment(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, _status = _lock(
            "notify_subject", complaint=complaint, by=by, expected_version=expected_version
        )
        if complaint.subject_notified_at is not None:
            return complaint
        complaint.subject_notified_at = now
        save_new_version(complaint, update_fields=["subject_notified_at"])
        _record(
            complaint,
            by=by,
            action=HistoryAction.SUBJECT_NOTIFIED,
            at=now,
            stage=complaint.current_stage,
        )
        notify(
            recipients=[complaint.subject],
            kind=NotificationKind.STAGE_OPENED,
            subject=f"Complaint {complaint.reference} concerns you",
            resource=complaint,
            dedupe_key_base=f"complaint:{complaint.pk}:subject_notified",
            now=now,
        )
        return complaint


def assign_investigator(
    *, complaint: Complaint, by, officer: Officer, expected_version=None, now=None
) -> Complaint:
    """Assign an officer to investigate (the Monitoring Officer): they see the complaint in
    full. Never a party, and never anyone with a declared relationship with either party
    (409, without its details)."""
    now = _moment(now)
    if (
        not isinstance(officer, Officer)
        or officer.council_id != complaint.council_id
        or not officer.active
    ):
        raise ValidationError({"officer": ["Choose an officer of this council still in post."]})
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, _status = _lock(
            "assign_investigator", complaint=complaint, by=by, expected_version=expected_version
        )
        if not permissions.is_system(by) and not permissions.is_monitoring_officer_of(
            by, complaint.council_id
        ):
            raise PermissionDenied("Only the Monitoring Officer assigns investigators.")
        if officer.pk in (complaint.complainant_officer_id, complaint.subject_officer_id):
            raise ValidationError({"officer": ["A party to the complaint cannot investigate it."]})
        today = local_date(now)
        if have_conflict(officer, complaint.complainant, on=today) or have_conflict(
            officer, complaint.subject, on=today
        ):
            raise Conflict(
                "This officer has a declared relationship with a party: choose someone else.",
                code="conflict_of_interest",
            )
        if complaint.investigators.filter(officer=officer).exists():
            return complaint
        ComplaintInvestigator.objects.create(
            complaint=complaint, council_id=complaint.council_id, officer=officer, assigned_at=now
        )
        permissions.grant_view(officer, complaint)
        save_new_version(complaint, update_fields=[])
        _record(
            complaint,
            by=by,
            action=HistoryAction.INVESTIGATOR_ASSIGNED,
            at=now,
            stage=complaint.current_stage,
            detail={"officer": officer.pk},
        )
        notify(
            recipients=[officer],
            kind=NotificationKind.ASSIGNED,
            subject=f"Complaint {complaint.reference}: you have been asked to investigate",
            resource=complaint,
            dedupe_key_base=f"complaint:{complaint.pk}:investigator:{officer.pk}",
            now=now,
        )
        return complaint


def _check_evidence(upload) -> tuple[str, str]:
    """The evidence's extension and content type, or a ValidationError naming the problem:
    too large, an unaccepted type, or content that is not what its name says."""
    if upload is None:
        raise ValidationError({"file": ["Choose a file to upload."]})
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    limit = evidence_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            {"file": [f"The file must be smaller than {limit // (1024 * 1024)} MB."]}
        )
    if upload.size == 0:
        raise ValidationError({"file": ["The file is empty."]})
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            {"file": ["The file must be a PDF, JPG, PNG, Word (.docx) or text file."]}
        )
    content_type, signatures = EVIDENCE_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not any(head.startswith(signature) for signature in signatures):
        raise ValidationError({"file": ["The file's content does not match its type."]})
    if not signatures:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if len(head) < 2048 or error.start < 2044:
                message = "A text file must be plain UTF-8 text."
                raise ValidationError({"file": [message]}) from error
    return extension, content_type


def add_evidence(*, complaint: Complaint, by, file, now=None) -> ComplaintEvidence:
    """Attach a file of evidence to an open complaint (the complainant, the stage's owner,
    an investigator or the Monitoring Officer). Checked for size and type (by content, not
    only its name) and stored outside the web root under a random name."""
    now = _moment(now)
    extension, content_type = _check_evidence(file)
    original_name = os.path.basename(file.name)[:200]
    with transaction.atomic(), acting_as(actor_of(by)):
        complaint, _status = _lock("attach", complaint=complaint, by=by, expected_version=None)
        evidence = ComplaintEvidence(
            complaint=complaint,
            council_id=complaint.council_id,
            original_name=original_name,
            content_type=content_type,
            size=file.size,
            uploaded_at=now,
            uploaded_by=by if isinstance(by, User) else None,
        )
        evidence.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
        try:
            evidence.save()
            save_new_version(complaint, update_fields=[])
            _record(
                complaint,
                by=by,
                action=HistoryAction.EVIDENCE_ADDED,
                at=now,
                stage=complaint.current_stage,
                detail={"evidence": evidence.pk, "size": evidence.size},
            )
        except Exception:
            evidence.file.delete(save=False)
            raise
        return evidence


def record_view(*, complaint: Complaint, viewer, via: str = "page", now=None) -> None:
    """Record that ``viewer`` looked at ``complaint`` (DESIGN.md: every view is recorded).
    One INSERT; called by the pages and the API for every read of one complaint."""
    if not isinstance(viewer, User):
        return
    ComplaintView.objects.create(
        complaint_id=complaint.pk,
        council_id=complaint.council_id,
        viewer=viewer,
        at=now or timezone.now(),
        via=via,
    )


def record_views(*, complaint_ids, council_id, viewer, via: str = "page", now=None) -> None:
    """Record that ``viewer`` saw each of these complaints in a list (one INSERT)."""
    if not isinstance(viewer, User) or not complaint_ids or council_id is None:
        return
    at = now or timezone.now()
    ComplaintView.objects.bulk_create(
        ComplaintView(complaint_id=pk, council_id=council_id, viewer=viewer, at=at, via=via)
        for pk in complaint_ids
    )


# When a stage owner leaves ---------------------------------------------------------------------


def pass_on_leavers_stages(*, officer: Officer, by, now=None) -> int:
    """The open stages ``officer`` owned pass to the next person up under each stage's rule
    (the leaver, now inactive, is passed over), recorded in each complaint's history without
    the reason's details, and the new owners are told. Called in the transaction that made
    the officer a leaver (council.signals.officer_left). Returns how many stages moved."""
    now = _moment(now)
    stages = list(
        ComplaintStage.objects.filter(
            owner_officer_id=officer.pk, closed_at__isnull=True, complaint__status="open"
        )
        .select_related("complaint__council")
        .order_by("pk")
    )
    with transaction.atomic(), acting_as(actor_of(by)):
        for stage in stages:
            complaint = Complaint.objects.select_for_update().get(pk=stage.complaint_id)
            resolution = routing.resolve_owner(
                stage.owner_rule,
                complainant=complaint.complainant,
                subject=complaint.subject,
                council_id=complaint.council_id,
                on=local_date(now),
            )
            owner = resolution.owner
            ComplaintStage.objects.filter(pk=stage.pk).update(
                substituted=True, **_party_columns("owner", owner)
            )
            _record(
                complaint,
                by=by,
                action=HistoryAction.OWNER_SUBSTITUTED if owner else HistoryAction.NO_OWNER,
                at=now,
                stage=stage,
                note=SUBSTITUTION_NOTE if owner else NO_OWNER_NOTE,
                detail={"rule": stage.owner_rule, "owner": _party(owner), "owner_left": True},
            )
            if owner is not None:
                occasion = f"owner:{_party(owner)['type']}:{owner.pk}"
                _hand_stage_to(owner, complaint, stage, now=now, occasion=occasion)
    return len(stages)
