"""Every change to the register of declared relationships, and the log of conflict questions.

Each function takes keyword arguments with the acting person (``by``: a User, or a process
name such as ``"command:seed_demo"``), validates before writing (``ValidationError`` naming
the field), opens its own transaction, locks the declaration, checks who may act
(relationships.permissions; 403), the caller's version (412) and the action against
``choices.DECLARATION_TRANSITIONS`` (409). The audit trail is written by database triggers
(core.audit); its personal fields are redacted (relationships.apps).

Notifications go through the outbox in the same transaction. Their e-mails say only that
there is something new (DESIGN.md, Security decisions); their subjects name no one.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import acting_as
from core.errors import Conflict
from core.notifications.choices import NotificationKind
from core.notifications.services import notify
from core.versioning import check_version, save_new_version
from council.calendar import local_date
from council.models import Council, Member, Officer, User
from council.roles import member_of, officer_of
from council.services import actor_of

from . import permissions, selectors
from .choices import (
    ACTION_PAST_TENSE,
    DECLARATION_TRANSITIONS,
    DeclarationKind,
    DeclarationRecipient,
)
from .models import ConflictQuestion, Declaration
from .parties import External

UPDATABLE_FIELDS = ("description", "started_on", "ended_on")
# Checked by the services themselves (same council); full_clean skips them.
CHECKED_BY_SERVICES = [
    "council",
    "declarant_member",
    "declarant_officer",
    "counterpart_member",
    "counterpart_officer",
    "recorded_by",
]


def _moment(now: datetime.datetime | None) -> datetime.datetime:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware.")
    return now


def _own_record(by) -> Member | Officer | None:
    """The caller's own member or officer record (an officer's first: the same person is
    rarely both, and then declares as an officer unless they name their member record)."""
    return officer_of(by) or member_of(by)


def _is_own(by, declarant) -> bool:
    own = {officer_of(by), member_of(by)} - {None}
    return any(type(record) is type(declarant) and record.pk == declarant.pk for record in own)


def _check_party(council: Council, party, field: str, errors: dict) -> None:
    if isinstance(party, Member | Officer):
        if party.council_id != council.pk:
            errors[field] = ["Choose a member or officer of this council."]
        elif isinstance(party, Officer) and not party.active:
            errors[field] = ["This officer has left the council."]
    elif isinstance(party, External):
        if not party.name:
            errors[f"{field}.name"] = ["Give the name of the person or organisation."]
        elif len(party.name) > 200:
            errors[f"{field}.name"] = ["The name must be 200 characters or fewer."]
    else:
        errors[field] = ["Choose a member, an officer, or name someone outside the council."]


def _check_dates(started_on, ended_on, errors: dict) -> None:
    if not isinstance(started_on, datetime.date):
        errors["started_on"] = ["Give the date the relationship started."]
    elif ended_on is not None and ended_on < started_on:
        errors["ended_on"] = ["The relationship cannot end before it started."]


def _counterpart_columns(counterpart) -> dict:
    return {
        "counterpart_member": counterpart if isinstance(counterpart, Member) else None,
        "counterpart_officer": counterpart if isinstance(counterpart, Officer) else None,
        "counterpart_name": counterpart.name if isinstance(counterpart, External) else "",
        "counterpart_email": counterpart.email if isinstance(counterpart, External) else "",
    }


def _tell_recipients(declaration: Declaration, *, now: datetime.datetime) -> None:
    # Notifications: the person it is declared to (a content-free e-mail and an in-app item).
    notify(
        recipients=selectors.recipients_of(declaration),
        kind=NotificationKind.DECLARATION,
        subject="A declaration of a relationship has been made to you",
        resource=declaration,
        dedupe_key_base=f"declaration:{declaration.pk}:submitted",
        now=now,
    )


def submit_declaration(
    *,
    council: Council,
    by,
    counterpart,
    kind: str,
    started_on: datetime.date,
    declarant: Member | Officer | None = None,
    declared_to: str | None = None,
    description: str = "",
    ended_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Declaration:
    """Declare a relationship (city council protocol 4.5) and tell the person it is made to.

    Members and officers declare their own (``declarant`` defaults to the caller's record);
    the Monitoring Officer may record one on someone's behalf (13.1-13.2). ``declared_to``
    defaults to the council's setting; organisation memberships always go to the Monitoring
    Officer (13.1-13.2). A constituent relationship is a member's, with someone outside the
    council; an organisation membership names the organisation.
    """
    now = _moment(now)
    if declarant is None and not isinstance(by, str):
        declarant = _own_record(by)
        if declarant is None:
            raise PermissionDenied("Only the council's members and officers declare.")
    errors: dict[str, list[str]] = {}
    if declarant is None:
        errors["declarant"] = ["Say who is declaring."]
    else:
        _check_party(council, declarant, "declarant", errors)
        if isinstance(declarant, External):
            errors["declarant"] = ["Only members and officers declare relationships."]
    _check_party(council, counterpart, "counterpart", errors)
    if kind not in DeclarationKind.values:
        errors["kind"] = [f"Choose one of: {', '.join(DeclarationKind.values)}."]
    if declared_to is not None and declared_to not in DeclarationRecipient.values:
        errors["declared_to"] = [f"Choose one of: {', '.join(DeclarationRecipient.values)}."]
    elif kind == DeclarationKind.ORGANISATION_MEMBERSHIP:
        if declared_to == DeclarationRecipient.CHIEF_EXECUTIVE:
            errors["declared_to"] = [
                "Membership of an organisation is declared to the Monitoring Officer."
            ]
        declared_to = DeclarationRecipient.MONITORING_OFFICER
    if kind in (DeclarationKind.ORGANISATION_MEMBERSHIP, DeclarationKind.CONSTITUENT) and (
        counterpart is not None and not isinstance(counterpart, External)
    ):
        errors["counterpart"] = ["Name the person or organisation outside the council."]
    if (
        kind == DeclarationKind.CONSTITUENT
        and declarant is not None
        and (not isinstance(declarant, Member))
    ):
        errors["kind"] = ["Only members declare relationships with constituents."]
    if (
        declarant is not None
        and type(declarant) is type(counterpart)
        and declarant.pk == getattr(counterpart, "pk", None)
    ):
        errors["counterpart"] = ["You cannot declare a relationship with yourself."]
    _check_dates(started_on, ended_on, errors)
    if errors:
        raise ValidationError(errors)
    if (
        not isinstance(by, str)
        and not _is_own(by, declarant)
        and not permissions.may_record_on_behalf(by)
    ):
        raise PermissionDenied("Members and officers declare their own relationships.")
    with transaction.atomic(), acting_as(actor_of(by)):
        declaration = Declaration(
            council=council,
            declarant_member=declarant if isinstance(declarant, Member) else None,
            declarant_officer=declarant if isinstance(declarant, Officer) else None,
            kind=kind,
            declared_to=declared_to or council.declarations_go_to,
            description=(description or "").strip(),
            started_on=started_on,
            ended_on=ended_on,
            submitted_at=now,
            recorded_by=by if isinstance(by, User) else None,
            **_counterpart_columns(counterpart),
        )
        declaration.full_clean(
            exclude=CHECKED_BY_SERVICES, validate_unique=False, validate_constraints=False
        )
        declaration.save()
        _tell_recipients(declaration, now=now)
        return declaration


def _lock(action: str, *, declaration: Declaration, by, expected_version):
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    permissions.require(by, action, locked)
    check_version(locked, expected_version)
    allowed, to_status = DECLARATION_TRANSITIONS[action]
    if locked.status not in allowed:
        raise Conflict(
            f"This declaration is {locked.get_status_display().lower()}: it cannot be "
            f"{ACTION_PAST_TENSE[action]}.",
            code="invalid_transition",
        )
    return locked, to_status


def acknowledge_declaration(
    *, declaration: Declaration, by, expected_version=None, now=None
) -> Declaration:
    """The person it was declared to says they have it (4.6)."""
    now = _moment(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        declaration, status = _lock(
            "acknowledge", declaration=declaration, by=by, expected_version=expected_version
        )
        declaration.status = status
        declaration.acknowledged_at = now
        return save_new_version(declaration, update_fields=["status", "acknowledged_at"])


def give_advice(
    *, declaration: Declaration, by, advice: str, expected_version=None, now=None
) -> Declaration:
    """Record advice to both parties (city council protocol 4.6) and tell them both: the
    declarant, and the member or officer it names (who may then read the advice)."""
    now = _moment(now)
    advice = (advice or "").strip()
    if not advice:
        raise ValidationError({"advice": ["Give the advice to both parties."]})
    with transaction.atomic(), acting_as(actor_of(by)):
        declaration, status = _lock(
            "advise", declaration=declaration, by=by, expected_version=expected_version
        )
        declaration.status = status
        declaration.advice = advice
        declaration.advice_given_at = now
        if declaration.acknowledged_at is None:
            declaration.acknowledged_at = now
        save_new_version(
            declaration, update_fields=["status", "advice", "advice_given_at", "acknowledged_at"]
        )
        # Notifications: both parties, once per piece of advice (the version after it).
        notify(
            recipients=[
                declaration.declarant,
                declaration.counterpart_member,
                declaration.counterpart_officer,
            ],
            kind=NotificationKind.ADVICE_GIVEN,
            subject="Advice has been given on a declared relationship",
            resource=declaration,
            dedupe_key_base=f"declaration:{declaration.pk}:advice:{declaration.version}",
            now=now,
        )
        return declaration


def end_declaration(
    *,
    declaration: Declaration,
    by,
    ended_on: datetime.date | None = None,
    expected_version=None,
    now=None,
) -> Declaration:
    """The relationship is over: the declaration stays on the register, ended on
    ``ended_on`` (default today), and no longer causes conflicts after that day."""
    now = _moment(now)
    ended_on = ended_on or local_date(now)
    with transaction.atomic(), acting_as(actor_of(by)):
        declaration, status = _lock(
            "end", declaration=declaration, by=by, expected_version=expected_version
        )
        if ended_on < declaration.started_on:
            raise ValidationError({"ended_on": ["The relationship cannot end before it started."]})
        declaration.status = status
        declaration.ended_on = ended_on
        return save_new_version(declaration, update_fields=["status", "ended_on"])


def update_declaration(
    *, declaration: Declaration, by, expected_version=None, **fields
) -> Declaration:
    """Correct the description or the dates of a declaration in force."""
    unknown = set(fields) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    with transaction.atomic(), acting_as(actor_of(by)):
        declaration, _status = _lock(
            "update", declaration=declaration, by=by, expected_version=expected_version
        )
        changed = [name for name, value in fields.items() if getattr(declaration, name) != value]
        if not changed:
            return declaration
        for name in changed:
            setattr(declaration, name, fields[name])
        errors: dict[str, list[str]] = {}
        _check_dates(declaration.started_on, declaration.ended_on, errors)
        if errors:
            raise ValidationError(errors)
        return save_new_version(declaration, update_fields=changed)


def record_conflict_question(
    *, council_id: int, by, a, b, on: datetime.date, answer: bool, now=None
) -> ConflictQuestion:
    """Keep who asked the conflict check about whom (DESIGN.md, Security decisions)."""
    return ConflictQuestion.objects.create(
        council_id=council_id,
        asked_at=_moment(now),
        asked_by=by if isinstance(by, User) else None,
        actor=actor_of(by),
        a_type=selectors.party_type(a),
        a_id=a.pk,
        b_type=selectors.party_type(b),
        b_id=b.pk,
        on=on,
        answer=answer,
    )
