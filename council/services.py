"""Every change to the organisation's records: councils, their calendars, people and structure.

Each function takes keyword arguments with the acting person (``by``), opens its own
transaction, locks what it changes and validates before writing, so that bad input leaves
nothing half-written. The audit trail is written by database triggers (core.audit).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.audit import acting_as
from core.versioning import check_version, save_new_version

from .choices import MemberRole, Seniority, StatutoryRole, Team
from .models import (
    ClosureDay,
    Committee,
    CommitteeMembership,
    Council,
    Directorate,
    Member,
    Officer,
    PoliticalGroup,
    User,
    Ward,
)

OFFICER_FIELDS = (
    "full_name",
    "email",
    "job_title",
    "directorate",
    "line_manager",
    "seniority",
    "statutory_role",
    "teams",
    "politically_restricted",
    "active",
)
MEMBER_FIELDS = (
    "full_name",
    "email",
    "kind",
    "ward",
    "political_group",
    "term_start",
    "term_end",
    "roles",
)


def actor_of(by) -> str:
    """The audit actor string for a user, an API token or a named process."""
    if by is None:
        return "system"
    if isinstance(by, str):
        return by
    if isinstance(by, User):
        return f"user:{by.pk}"
    token_id = getattr(by, "token_id", None)
    if token_id is not None:
        return f"token:{token_id}"
    return "system"


def _same_council(council: Council, field: str, value) -> None:
    if value is not None and value.council_id != council.pk:
        raise ValidationError({field: ["Choose one of this council's records."]})


def _full_clean(instance, exclude=()) -> None:
    instance.full_clean(exclude=[*exclude, "council", "user"], validate_unique=True)


# Councils and the working-day calendar -----------------------------------------------------


def create_council(*, by, slug: str, name: str, **fields) -> Council:
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council(slug=slug, name=name, **fields)
        council.full_clean()
        council.save()
        return council


def update_council(*, council: Council, by, expected_version=None, **fields) -> Council:
    allowed = {"name", "nation", "cutoff_time", "deadline_convention"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council.objects.select_for_update().get(pk=council.pk)
        check_version(council, expected_version)
        for name, value in fields.items():
            setattr(council, name, value)
        council.full_clean(exclude=["slug"])
        return save_new_version(council, update_fields=fields.keys())


def add_closure_day(*, council: Council, by, date: datetime.date, reason: str = "") -> ClosureDay:
    """Add a day the council is closed. Bumps the council's version, which keys the cached
    working-day calendar (council.calendar), so every later deadline sees the change."""
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council.objects.select_for_update().get(pk=council.pk)
        if council.closure_days.filter(date=date).exists():
            raise ValidationError({"date": [f"{date:%d %B %Y} is already a closure day."]})
        closure = ClosureDay(council=council, date=date, reason=reason)
        closure.full_clean(exclude=["council"])
        closure.save()
        save_new_version(council, update_fields=[])
        return closure


def remove_closure_day(*, council: Council, by, date: datetime.date) -> None:
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council.objects.select_for_update().get(pk=council.pk)
        deleted, _ = council.closure_days.filter(date=date).delete()
        if not deleted:
            raise ValidationError({"date": [f"{date:%d %B %Y} is not a closure day."]})
        save_new_version(council, update_fields=[])


# Accounts ----------------------------------------------------------------------------------


def link_account(*, council: Council, email: str, full_name: str) -> User | None:
    """The login account for a member or officer record: the user whose email matches
    (case-insensitive), created without a usable password if none exists (API.md, People).

    Only called from records administrators or the HR sync created: nothing a person asserts
    at sign-in links an account (DESIGN.md, Security decisions).
    """
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return User.objects.create_user(email=email, full_name=full_name, council=council)
    if user.council_id not in (None, council.pk):
        raise ValidationError({"email": ["This email belongs to a person at another council."]})
    changed = []
    if user.council_id is None:
        user.council = council
        changed.append("council")
    if user.full_name != full_name:
        user.full_name = full_name
        changed.append("full_name")
    if changed:
        user.save(update_fields=changed)
    return user


def _claim_account(record: Member | Officer, user: User | None) -> None:
    """Attach ``user`` to ``record`` unless another member or officer already holds it."""
    if user is None:
        return
    other_kind = Officer if isinstance(record, Member) else Member
    taken = (
        type(record).objects.filter(user=user).exclude(pk=record.pk).exists()
        or other_kind.objects.filter(user=user).exists()
    )
    if taken:
        raise ValidationError({"email": ["This email already belongs to another person."]})
    record.user = user


def set_password(*, user: User, by, password: str) -> None:
    with transaction.atomic(), acting_as(actor_of(by)):
        user.set_password(password)
        user.save(update_fields=["password"])


# Structure ---------------------------------------------------------------------------------


def create_ward(*, council: Council, by, name: str) -> Ward:
    with transaction.atomic(), acting_as(actor_of(by)):
        ward = Ward(council=council, name=name)
        _full_clean(ward)
        ward.save()
        return ward


def create_directorate(
    *, council: Council, by, name: str, director: Officer | None = None
) -> Directorate:
    _same_council(council, "director", director)
    with transaction.atomic(), acting_as(actor_of(by)):
        directorate = Directorate(council=council, name=name, director=director)
        _full_clean(directorate)
        directorate.save()
        return directorate


def update_directorate(
    *, directorate: Directorate, by, expected_version=None, **fields
) -> Directorate:
    _same_council(directorate.council, "director", fields.get("director"))
    with transaction.atomic(), acting_as(actor_of(by)):
        directorate = Directorate.objects.select_for_update().get(pk=directorate.pk)
        check_version(directorate, expected_version)
        for name, value in fields.items():
            setattr(directorate, name, value)
        _full_clean(directorate)
        return save_new_version(directorate, update_fields=fields.keys())


def create_political_group(
    *,
    council: Council,
    by,
    name: str,
    leader: Member | None = None,
    deputy_leader: Member | None = None,
    whip: Member | None = None,
) -> PoliticalGroup:
    for field, value in (("leader", leader), ("deputy_leader", deputy_leader), ("whip", whip)):
        _same_council(council, field, value)
    with transaction.atomic(), acting_as(actor_of(by)):
        group = PoliticalGroup(
            council=council, name=name, leader=leader, deputy_leader=deputy_leader, whip=whip
        )
        _full_clean(group)
        group.save()
        return group


def update_political_group(
    *, group: PoliticalGroup, by, expected_version=None, **fields
) -> PoliticalGroup:
    for field in ("leader", "deputy_leader", "whip"):
        _same_council(group.council, field, fields.get(field))
    with transaction.atomic(), acting_as(actor_of(by)):
        group = PoliticalGroup.objects.select_for_update().get(pk=group.pk)
        check_version(group, expected_version)
        for name, value in fields.items():
            setattr(group, name, value)
        _full_clean(group)
        return save_new_version(group, update_fields=fields.keys())


# Members -----------------------------------------------------------------------------------


def _validate_member_fields(council: Council, fields: dict) -> None:
    _same_council(council, "ward", fields.get("ward"))
    _same_council(council, "political_group", fields.get("political_group"))
    roles = fields.get("roles") or []
    bad = [role for role in roles if role not in MemberRole.values]
    if bad:
        raise ValidationError({"roles": [f"Unknown role: {', '.join(bad)}."]})


def create_member(*, council: Council, by, full_name: str, **fields) -> Member:
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    _validate_member_fields(council, fields)
    with transaction.atomic(), acting_as(actor_of(by)):
        member = Member(council=council, full_name=full_name, **fields)
        _full_clean(member)
        _claim_account(
            member, link_account(council=council, email=member.email, full_name=full_name)
        )
        member.save()
        return member


def update_member(*, member: Member, by, expected_version=None, **fields) -> Member:
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    _validate_member_fields(member.council, fields)
    with transaction.atomic(), acting_as(actor_of(by)):
        member = Member.objects.select_for_update().get(pk=member.pk)
        check_version(member, expected_version)
        for name, value in fields.items():
            setattr(member, name, value)
        _full_clean(member)
        if "email" in fields or "full_name" in fields:
            _claim_account(
                member,
                link_account(
                    council=member.council, email=member.email, full_name=member.full_name
                ),
            )
            fields = {**fields, "user": member.user}
        return save_new_version(member, update_fields=fields.keys())


# Officers ----------------------------------------------------------------------------------


def _validate_officer_fields(council: Council, fields: dict) -> None:
    _same_council(council, "directorate", fields.get("directorate"))
    _same_council(council, "line_manager", fields.get("line_manager"))
    teams = fields.get("teams") or []
    bad = [team for team in teams if team not in Team.values]
    if bad:
        raise ValidationError({"teams": [f"Unknown team: {', '.join(bad)}."]})
    if fields.get("seniority") not in (None, *Seniority.values):
        raise ValidationError({"seniority": ["Not a valid seniority."]})
    if fields.get("statutory_role") not in (None, *StatutoryRole.values):
        raise ValidationError({"statutory_role": ["Not a valid statutory role."]})


def _check_no_management_cycle(officer: Officer) -> None:
    seen = {officer.pk}
    manager = officer.line_manager
    while manager is not None:
        if manager.pk in seen:
            raise ValidationError(
                {"line_manager": ["An officer cannot be managed by someone they manage."]}
            )
        seen.add(manager.pk)
        manager = manager.line_manager


def upsert_officer(
    *, council: Council, by, employee_number: str, expected_version=None, **fields
) -> tuple[Officer, bool]:
    """Create or update the officer with this employee number (idempotent for the HR sync).

    Returns ``(officer, created)``. ``line_manager`` is an Officer (the API resolves employee
    numbers). Making an officer inactive marks a leaver: they lose sign-in.
    """
    unknown = set(fields) - set(OFFICER_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    if not employee_number or not str(employee_number).strip():
        raise ValidationError({"employee_number": ["Give the employee number."]})
    _validate_officer_fields(council, fields)
    with transaction.atomic(), acting_as(actor_of(by)):
        officer = (
            Officer.objects.select_for_update()
            .filter(council=council, employee_number=employee_number)
            .first()
        )
        created = officer is None
        if created:
            officer = Officer(council=council, employee_number=employee_number)
        else:
            check_version(officer, expected_version)
        for name, value in fields.items():
            setattr(officer, name, value)
        if officer.line_manager_id is not None and officer.line_manager_id == officer.pk:
            raise ValidationError({"line_manager": ["An officer cannot manage themselves."]})
        _full_clean(officer, exclude=["line_manager", "directorate"])
        if not created:
            _check_no_management_cycle(officer)
        _claim_account(
            officer,
            link_account(council=council, email=officer.email, full_name=officer.full_name),
        )
        if officer.user is not None and officer.user.is_active != officer.active:
            officer.user.is_active = officer.active
            officer.user.save(update_fields=["is_active"])
        try:
            with transaction.atomic():
                if created:
                    officer.save()
                else:
                    save_new_version(officer)
        except IntegrityError as exc:
            if "statutory_post_single_holder" in str(exc):
                raise ValidationError(
                    {"statutory_role": ["Another active officer already holds this post."]}
                ) from exc
            raise
        return officer, created


# Committees --------------------------------------------------------------------------------


def create_committee(*, council: Council, by, name: str, kind: str = "committee") -> Committee:
    with transaction.atomic(), acting_as(actor_of(by)):
        committee = Committee(council=council, name=name, kind=kind)
        _full_clean(committee)
        committee.save()
        return committee


def set_committee_members(
    *, committee: Committee, by, members: Iterable[tuple[Member, str]]
) -> None:
    """Replace a committee's membership with ``(member, role)`` pairs."""
    members = list(members)
    for member, _role in members:
        _same_council(committee.council, "members", member)
    with transaction.atomic(), acting_as(actor_of(by)):
        Committee.objects.select_for_update().get(pk=committee.pk)
        CommitteeMembership.objects.filter(committee=committee).delete()
        CommitteeMembership.objects.bulk_create(
            CommitteeMembership(committee=committee, member=member, role=role)
            for member, role in members
        )
        save_new_version(committee, update_fields=[])
