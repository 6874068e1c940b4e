"""Every change to the organisation's records: councils, their calendars, people and structure.

Each function takes keyword arguments with the acting person (``by``), opens its own
transaction, locks what it changes and validates before writing, so that bad input leaves
nothing half-written. The audit trail is written by database triggers (core.audit).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import acting_as
from core.versioning import check_version, save_new_version

from .choices import API_SCOPE_RESOURCES, CommitteeRole, MemberRole, Seniority, StatutoryRole, Team
from .models import (
    ApiToken,
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
from .signals import calendar_changed

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


def _apply_changes(instance, fields: dict) -> list[str]:
    """Set ``fields`` on ``instance``; return the names whose value actually changed.

    Updates that change nothing write nothing: no new version, no audit event, an unchanged
    ETag, so a sync that sends the same record twice is a no-op the second time.
    """
    changed = []
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.many_to_one:
            current, new = getattr(instance, field.attname), getattr(value, "pk", value)
        else:
            current, new = getattr(instance, name), value
        if current != new:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@contextlib.contextmanager
def _unique_in_council(**field_by_constraint: str):
    """Turn a council-scoped unique constraint's violation into a field error (race-free:
    the database decides). ``ward_name_unique="name"`` → ``{"name": ["... already ..."]}``."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        for constraint, field in field_by_constraint.items():
            if constraint in str(exc):
                message = f"This council already has one with this {field.replace('_', ' ')}."
                raise ValidationError({field: [message]}) from exc
        raise


# Councils and the working-day calendar -----------------------------------------------------


COUNCIL_FIELDS = ("name", "nation", "cutoff_time", "deadline_convention")
# Settings that change how working days and due dates are counted (council.calendar).
CALENDAR_FIELDS = {"nation", "cutoff_time", "deadline_convention"}


def create_council(
    *, by, slug: str, name: str, closure_days: Iterable[datetime.date] = (), **fields
) -> Council:
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council(slug=slug, name=name, **fields)
        council.full_clean()
        council.save()
        ClosureDay.objects.bulk_create(
            ClosureDay(council=council, date=day) for day in sorted(set(closure_days))
        )
        return council


def update_council(
    *,
    council: Council,
    by,
    expected_version=None,
    closure_days: Iterable[datetime.date] | None = None,
    **fields,
) -> Council:
    """Change a council's settings and, given ``closure_days``, make its closure days exactly
    that list: days not in it are removed, new ones added, existing ones (and their reasons)
    kept. Any change, closure days included, makes one new version, which keys the cached
    working-day calendar (council.calendar)."""
    unknown = set(fields) - set(COUNCIL_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council.objects.select_for_update().get(pk=council.pk)
        check_version(council, expected_version)
        changed = _apply_changes(council, fields)
        days_changed = False
        if closure_days is not None:
            wanted = set(closure_days)
            current = set(council.closure_days.values_list("date", flat=True))
            if wanted != current:
                council.closure_days.filter(date__in=current - wanted).delete()
                ClosureDay.objects.bulk_create(
                    ClosureDay(council=council, date=day) for day in sorted(wanted - current)
                )
                days_changed = True
        if not changed and not days_changed:
            return council
        council.full_clean(exclude=["slug"])
        council = save_new_version(council, update_fields=changed)
        if days_changed or set(changed) & CALENDAR_FIELDS:
            calendar_changed.send(sender=Council, council=council, by=by)
        return council


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
        calendar_changed.send(sender=Council, council=council, by=by)
        return closure


def remove_closure_day(*, council: Council, by, date: datetime.date) -> None:
    with transaction.atomic(), acting_as(actor_of(by)):
        council = Council.objects.select_for_update().get(pk=council.pk)
        deleted, _ = council.closure_days.filter(date=date).delete()
        if not deleted:
            raise ValidationError({"date": [f"{date:%d %B %Y} is not a closure day."]})
        save_new_version(council, update_fields=[])
        calendar_changed.send(sender=Council, council=council, by=by)


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
        with _unique_in_council(ward_name_unique="name"):
            ward.save()
        return ward


def update_ward(*, ward: Ward, by, name: str) -> Ward:
    """Rename a ward. Wards carry no version: a rename is the only change they have."""
    with transaction.atomic(), acting_as(actor_of(by)):
        ward = Ward.objects.select_for_update().get(pk=ward.pk)
        if not _apply_changes(ward, {"name": name}):
            return ward
        _full_clean(ward)
        with _unique_in_council(ward_name_unique="name"):
            ward.save(update_fields=["name"])
        return ward


def create_directorate(
    *, council: Council, by, name: str, director: Officer | None = None
) -> Directorate:
    _same_council(council, "director", director)
    with transaction.atomic(), acting_as(actor_of(by)):
        directorate = Directorate(council=council, name=name, director=director)
        _full_clean(directorate)
        with _unique_in_council(directorate_name_unique="name"):
            directorate.save()
        return directorate


def update_directorate(
    *, directorate: Directorate, by, expected_version=None, **fields
) -> Directorate:
    _same_council(directorate.council, "director", fields.get("director"))
    with transaction.atomic(), acting_as(actor_of(by)):
        directorate = Directorate.objects.select_for_update().get(pk=directorate.pk)
        check_version(directorate, expected_version)
        changed = _apply_changes(directorate, fields)
        if not changed:
            return directorate
        _full_clean(directorate)
        with _unique_in_council(directorate_name_unique="name"):
            return save_new_version(directorate, update_fields=changed)


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
        with _unique_in_council(political_group_name_unique="name"):
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
        changed = _apply_changes(group, fields)
        if not changed:
            return group
        _full_clean(group)
        with _unique_in_council(political_group_name_unique="name"):
            return save_new_version(group, update_fields=changed)


# Members -----------------------------------------------------------------------------------


def _validate_member_fields(council: Council, fields: dict) -> None:
    _same_council(council, "ward", fields.get("ward"))
    _same_council(council, "political_group", fields.get("political_group"))
    roles = fields.get("roles") or []
    bad = [role for role in roles if role not in MemberRole.values]
    if bad:
        raise ValidationError({"roles": [f"Unknown role: {', '.join(bad)}."]})


def _check_member_term(member: Member) -> None:
    if member.term_start and member.term_end and member.term_end <= member.term_start:
        raise ValidationError({"term_end": ["A term must end after it starts."]})


def create_member(*, council: Council, by, full_name: str, **fields) -> Member:
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    _validate_member_fields(council, fields)
    with transaction.atomic(), acting_as(actor_of(by)):
        member = Member(council=council, full_name=full_name, **fields)
        _check_member_term(member)
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
        changed = _apply_changes(member, fields)
        if not changed:
            return member
        _check_member_term(member)
        _full_clean(member)
        if "email" in changed or "full_name" in changed:
            _claim_account(
                member,
                link_account(
                    council=member.council, email=member.email, full_name=member.full_name
                ),
            )
            changed.append("user")
        return save_new_version(member, update_fields=changed)


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


def _resolve_line_manager(council: Council, fields: dict) -> None:
    """The HR system names line managers by employee number: find that officer."""
    number = fields.get("line_manager")
    if not isinstance(number, str):
        return
    manager = Officer.objects.filter(council=council, employee_number=number).first()
    if manager is None:
        raise ValidationError(
            {"line_manager": [f"No officer of this council has employee number {number}."]}
        )
    fields["line_manager"] = manager


def create_officer(*, council: Council, by, employee_number: str, **fields) -> Officer:
    """Add an officer; refused if the employee number is taken (``upsert_officer`` syncs)."""
    with transaction.atomic():
        if Officer.objects.filter(council=council, employee_number=employee_number).exists():
            raise ValidationError(
                {"employee_number": ["This council already has an officer with this number."]}
            )
        officer, _created = upsert_officer(
            council=council, by=by, employee_number=employee_number, **fields
        )
        return officer


def update_officer(*, officer: Officer, by, expected_version=None, **fields) -> Officer:
    number = fields.pop("employee_number", officer.employee_number)
    if number != officer.employee_number:
        raise ValidationError(
            {"employee_number": ["The employee number identifies the officer: it cannot change."]}
        )
    officer, _created = upsert_officer(
        council=officer.council,
        by=by,
        employee_number=officer.employee_number,
        expected_version=expected_version,
        **fields,
    )
    return officer


def upsert_officer(
    *, council: Council, by, employee_number: str, expected_version=None, **fields
) -> tuple[Officer, bool]:
    """Create or update the officer with this employee number (idempotent for the HR sync).

    Returns ``(officer, created)``. ``line_manager`` is an Officer or the employee number of
    one in the same council. Fields not given keep their values. Sending what is already
    stored changes nothing (same version). Making an officer inactive marks a leaver: they
    lose sign-in.
    """
    unknown = set(fields) - set(OFFICER_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    if not employee_number or not str(employee_number).strip():
        raise ValidationError({"employee_number": ["Give the employee number."]})
    fields = dict(fields)
    _resolve_line_manager(council, fields)
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
        changed = _apply_changes(officer, fields)
        if not created and not changed:
            _sync_sign_in(officer)
            return officer, False
        if officer.line_manager_id is not None and officer.line_manager_id == officer.pk:
            raise ValidationError({"line_manager": ["An officer cannot manage themselves."]})
        _full_clean(officer, exclude=["line_manager", "directorate"])
        if not created:
            _check_no_management_cycle(officer)
        _claim_account(
            officer,
            link_account(council=council, email=officer.email, full_name=officer.full_name),
        )
        _sync_sign_in(officer)
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
            if "officer_employee_number_unique" in str(exc):
                raise ValidationError(
                    {"employee_number": ["This council already has an officer with this number."]}
                ) from exc
            raise
        return officer, created


def _sync_sign_in(officer: Officer) -> None:
    """A leaver (inactive officer) cannot sign in; a returner can again."""
    if officer.user is not None and officer.user.is_active != officer.active:
        officer.user.is_active = officer.active
        officer.user.save(update_fields=["is_active"])


# Committees --------------------------------------------------------------------------------


def _validate_committee_members(council: Council, members: list[tuple[Member, str]]) -> None:
    seen = set()
    for member, role in members:
        _same_council(council, "members", member)
        if role not in CommitteeRole.values:
            raise ValidationError({"members": [f"Unknown committee role: {role}."]})
        if member.pk in seen:
            raise ValidationError({"members": [f"{member} is listed more than once."]})
        seen.add(member.pk)


def create_committee(
    *,
    council: Council,
    by,
    name: str,
    kind: str = "committee",
    members: Iterable[tuple[Member, str]] = (),
) -> Committee:
    members = list(members)
    _validate_committee_members(council, members)
    with transaction.atomic(), acting_as(actor_of(by)):
        committee = Committee(council=council, name=name, kind=kind)
        _full_clean(committee)
        with _unique_in_council(committee_name_unique="name"):
            committee.save()
        CommitteeMembership.objects.bulk_create(
            CommitteeMembership(committee=committee, member=member, role=role)
            for member, role in members
        )
        return committee


def update_committee(
    *,
    committee: Committee,
    by,
    expected_version=None,
    members: Iterable[tuple[Member, str]] | None = None,
    **fields,
) -> Committee:
    """Rename or re-kind a committee and, given ``members``, replace its membership."""
    unknown = set(fields) - {"name", "kind"}
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    if members is not None:
        members = list(members)
        _validate_committee_members(committee.council, members)
    with transaction.atomic(), acting_as(actor_of(by)):
        committee = Committee.objects.select_for_update().get(pk=committee.pk)
        check_version(committee, expected_version)
        changed = _apply_changes(committee, fields)
        members_changed = False
        if members is not None:
            current = set(committee.memberships.values_list("member_id", "role"))
            if current != {(member.pk, role) for member, role in members}:
                _replace_committee_members(committee, members)
                members_changed = True
        if not changed and not members_changed:
            return committee
        _full_clean(committee)
        with _unique_in_council(committee_name_unique="name"):
            return save_new_version(committee, update_fields=changed)


def _replace_committee_members(committee: Committee, members) -> None:
    CommitteeMembership.objects.filter(committee=committee).delete()
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(committee=committee, member=member, role=role)
        for member, role in members
    )


def set_committee_members(
    *, committee: Committee, by, members: Iterable[tuple[Member, str]]
) -> None:
    """Replace a committee's membership with ``(member, role)`` pairs."""
    members = list(members)
    _validate_committee_members(committee.council, members)
    with transaction.atomic(), acting_as(actor_of(by)):
        Committee.objects.select_for_update().get(pk=committee.pk)
        _replace_committee_members(committee, members)
        save_new_version(committee, update_fields=[])


# API tokens --------------------------------------------------------------------------------

API_TOKEN_KEY_PREFIX = "cc_"
# At most one write per token per interval records that it is in use.
API_TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=1)


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def validate_api_scopes(scopes: Iterable[str]) -> list[str]:
    """``<resource>:read`` / ``<resource>:write`` for a known resource, or ``*``."""
    cleaned, bad = [], []
    for scope in scopes:
        scope = scope.strip()
        if not scope:
            continue
        resource, _, access = scope.partition(":")
        if scope == "*" or (resource in API_SCOPE_RESOURCES and access in ("read", "write")):
            if scope not in cleaned:
                cleaned.append(scope)
        else:
            bad.append(scope)
    if bad:
        raise ValidationError(
            {
                "scopes": [
                    f"Unknown scope: {', '.join(bad)}. Use <resource>:read or <resource>:write "
                    f"(resources: {', '.join(API_SCOPE_RESOURCES)}) or *."
                ]
            }
        )
    if not cleaned:
        raise ValidationError({"scopes": ["Give at least one scope."]})
    return cleaned


def issue_api_token(
    *,
    council: Council,
    by,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``council``. Returns ``(token, key)``: the key is shown once, here;
    only its SHA-256 digest is stored."""
    scopes = validate_api_scopes(scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": ["The expiry must be in the future."]})
    key = API_TOKEN_KEY_PREFIX + secrets.token_urlsafe(32)
    created_by = by if isinstance(by, User) else None
    with transaction.atomic(), acting_as(actor_of(by)):
        token = ApiToken(
            council=council,
            name=name,
            key_prefix=key[:10],
            key_digest=api_token_digest(key),
            scopes=scopes,
            created_by=created_by,
            expires_at=expires_at,
        )
        _full_clean(token, exclude=["created_by", "key_digest"])
        with _unique_in_council(api_token_name_unique="name"):
            token.save()
        return token, key


def revoke_api_token(*, token: ApiToken, by) -> ApiToken:
    """Stop ``token`` working from now on. Revoking twice keeps the first revocation time."""
    with transaction.atomic(), acting_as(actor_of(by)):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        return token


def record_api_token_use(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Note that ``token`` was used: at most one UPDATE a minute per token, and none when the
    stored time is recent. The conditional UPDATE keeps concurrent requests from piling up."""
    now = now or timezone.now()
    threshold = now - API_TOKEN_USE_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > threshold:
        return
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=threshold).update(
        last_used_at=now
    )
    token.last_used_at = now
