"""Every change to the organisation's records: councils, their calendars, people and structure.

Each function takes keyword arguments with the acting person (``by``), opens its own
transaction, locks what it changes and validates before writing, so that bad input leaves
nothing half-written. The audit trail is written by database triggers (core.audit).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone

from core.audit import acting_as
from core.versioning import check_version, save_new_version

from .choices import (
    API_SCOPE_RESOURCES,
    SINGLE_HOLDER_STATUTORY_ROLES,
    CommitteeRole,
    MemberRole,
    Seniority,
    StatutoryRole,
    Team,
)
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
from .signals import calendar_changed, officer_left

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
    stored changes nothing (same version, no audit event). Making an officer inactive marks a
    leaver: they lose sign-in and ``signals.officer_left`` is sent in the transaction, so
    their open work is flagged for reassignment with the change (API.md, Officers).
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
        was_active = not created and officer.active
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
        if was_active and not officer.active:
            officer_left.send(sender=Officer, officer=officer, by=by)
        return officer, created


def _sync_sign_in(officer: Officer) -> None:
    """A leaver (inactive officer) cannot sign in; a returner can again."""
    if officer.user is not None and officer.user.is_active != officer.active:
        officer.user.is_active = officer.active
        officer.user.save(update_fields=["is_active"])


# The HR sync: a whole establishment list at once -------------------------------------------

# How many officers one sync may carry (a large council's establishment, with room to spare).
MAX_SYNC_ROWS = 20000
SYNC_CREATED, SYNC_UPDATED, SYNC_UNCHANGED = "created", "updated", "unchanged"


@dataclass
class OfficerSync:
    """What a sync did (or, for a dry run, would do): employee numbers by outcome, in the
    order given, and the leavers among them."""

    dry_run: bool
    # (employee number, outcome)
    outcomes: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    leavers: list[str] = dataclasses.field(default_factory=list)

    def numbers(self, outcome: str) -> list[str]:
        return [number for number, result in self.outcomes if result == outcome]


def sync_officers(*, council: Council, by, rows: list[dict], dry_run: bool = False) -> OfficerSync:
    """Create or update every officer in ``rows`` in one transaction, or none of them.

    Each row is a dict with ``employee_number`` and any of ``OFFICER_FIELDS``; fields left
    out keep their values, as in ``upsert_officer``. ``line_manager`` is an employee number,
    of an officer in the batch (in any order) or already stored; ``directorate`` a Directorate
    of the council or its id. Every row is checked before anything is written, and every
    problem is reported at once as a ``ValidationError`` keyed ``officers.<row index>.<field>``
    (the API's error keys). A row that changes nothing writes nothing: no version, no audit
    event. Leavers (``active`` becoming false) lose sign-in and ``signals.officer_left`` is
    sent for each, in the transaction.

    The cost in queries does not grow with the rows: the council's officers are read (and
    locked) once, and directorates, accounts, new officers and changed officers are each read
    or written in one statement. ``dry_run`` does all of it, then rolls back.
    """
    if len(rows) > MAX_SYNC_ROWS:
        raise ValidationError({"officers": [f"Send at most {MAX_SYNC_ROWS} officers at once."]})
    errors: dict[str, list[str]] = {}

    def error(index: int, name: str, message: str) -> None:
        # One problem per cell, the first found: a bad seniority is not also "not a valid
        # choice" when the row is cleaned.
        errors.setdefault(f"officers.{index}.{name}", [message])

    wanted: list[tuple[int, str, dict]] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        row = dict(row)
        number = str(row.pop("employee_number", "") or "").strip()
        if not number:
            error(index, "employee_number", "Give the employee number.")
            continue
        if number in seen:
            error(index, "employee_number", f"{number} is listed more than once.")
            continue
        seen[number] = index
        for name in set(row) - set(OFFICER_FIELDS):
            error(index, name, "Unknown field.")
            row.pop(name)
        for name, message in _officer_choice_errors(row):
            error(index, name, message)
        wanted.append((index, number, row))

    with transaction.atomic(), acting_as(actor_of(by)):
        officers = list(
            Officer.objects.select_for_update(of=("self",))
            .filter(council=council)
            .select_related("user")
            .order_by("pk")
        )
        by_number = {officer.employee_number: officer for officer in officers}
        number_of = {officer.pk: officer.employee_number for officer in officers}
        directorates = _directorates_named(council, wanted, error)

        # The management structure after the sync, by employee number.
        manager_of = {
            officer.employee_number: number_of.get(officer.line_manager_id) for officer in officers
        }
        planned: list[tuple[int, Officer, list[str], bool]] = []
        for index, number, row in wanted:
            officer = by_number.get(number)
            created = officer is None
            if created:
                officer = Officer(council=council, employee_number=number)
                manager_of[number] = None
            was_active = officer.active and not created
            if "line_manager" in row:
                manager = row.pop("line_manager")
                manager = getattr(manager, "employee_number", manager)
                manager = str(manager).strip() if manager not in (None, "") else None
                if manager is not None and manager not in by_number and manager not in seen:
                    error(
                        index,
                        "line_manager",
                        f"No officer of this council, nor any in this list, has employee "
                        f"number {manager}.",
                    )
                    manager = manager_of[number]
                manager_of[number] = manager
            directorate = row.get("directorate")
            if directorate is not None and not isinstance(directorate, Directorate):
                row["directorate"] = directorates[int(directorate)]
            changed = _apply_changes(officer, row)
            if not created and manager_of[number] != number_of.get(officer.line_manager_id):
                changed.append("line_manager")
            try:
                officer.full_clean(
                    exclude=["council", "user", "line_manager", "directorate"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as invalid:
                for name, messages in invalid.message_dict.items():
                    for message in messages:
                        error(index, name, message)
            planned.append((index, officer, changed, was_active))
            by_number.setdefault(number, officer)

        _check_management_structure(planned, manager_of, error)
        _check_statutory_posts(officers, planned, error)
        accounts = _plan_accounts(council, planned, officers, error)
        if errors:
            raise ValidationError(errors)

        result = OfficerSync(dry_run=dry_run)
        _write_officer_sync(council, planned, manager_of, by_number, accounts, result)
        for _index, officer, _changed, was_active in planned:
            if was_active and not officer.active:
                result.leavers.append(officer.employee_number)
                officer_left.send(sender=Officer, officer=officer, by=by)
        if dry_run:
            transaction.set_rollback(True)
        return result


def _officer_choice_errors(row: dict):
    # The values are named: a spreadsheet's author (the CSV import) cannot look them up.
    teams = row.get("teams") or []
    bad = [team for team in teams if team not in Team.values]
    if bad:
        yield (
            "teams",
            f"Unknown team: {', '.join(map(str, bad))}. Use any of {', '.join(Team.values)}.",
        )
    if row.get("seniority") not in (None, *Seniority.values):
        yield "seniority", f"Not a valid seniority. Use one of {', '.join(Seniority.values)}."
    if row.get("statutory_role") not in (None, *StatutoryRole.values):
        yield (
            "statutory_role",
            f"Not a valid statutory role. Use one of {', '.join(StatutoryRole.values)}, or "
            f"leave it blank.",
        )


def _directorates_named(council: Council, wanted, error) -> dict:
    """The council's directorates the rows name (by id or instance), in one query."""
    ids = {}
    for index, _number, row in wanted:
        value = row.get("directorate")
        if value is None:
            continue
        if isinstance(value, Directorate):
            if value.council_id != council.pk:
                error(index, "directorate", "Choose one of this council's directorates.")
                row.pop("directorate")
            continue
        if isinstance(value, bool) or not str(value).isdigit():
            error(index, "directorate", "Give a directorate id.")
            row.pop("directorate")
            continue
        ids.setdefault(int(value), []).append((index, row))
    found = {}
    if ids:
        found = {d.pk: d for d in Directorate.objects.filter(council=council, pk__in=list(ids))}
    for pk, uses in ids.items():
        if pk not in found:
            for index, row in uses:
                error(index, "directorate", f"This council has no directorate with id {pk}.")
                row.pop("directorate")
    return found


def _check_management_structure(planned, manager_of: dict, error) -> None:
    """Nobody manages themselves, directly or round a loop (in memory: the whole council's
    structure after the sync is in ``manager_of``)."""
    for index, officer, _changed, _was_active in planned:
        number = officer.employee_number
        if manager_of.get(number) == number:
            error(index, "line_manager", "An officer cannot manage themselves.")
            continue
        seen = {number}
        manager = manager_of.get(number)
        while manager is not None:
            if manager in seen:
                error(index, "line_manager", "An officer cannot be managed by someone they manage.")
                break
            seen.add(manager)
            manager = manager_of.get(manager)


def _check_statutory_posts(officers, planned, error) -> None:
    """One active holder of each single-holder statutory post, after the sync."""
    final = {officer.employee_number: officer for officer in officers}
    rows = {}
    for index, officer, _changed, _was_active in planned:
        final[officer.employee_number] = officer
        rows[officer.employee_number] = index
    holders: dict[str, list[str]] = {}
    for number, officer in final.items():
        if officer.active and officer.statutory_role in SINGLE_HOLDER_STATUTORY_ROLES:
            holders.setdefault(officer.statutory_role, []).append(number)
    for numbers in holders.values():
        if len(numbers) > 1:
            for number in numbers:
                if number in rows:
                    error(rows[number], "statutory_role", "Another active officer holds this post.")


@dataclass
class _AccountPlan:
    new_users: list[User] = dataclasses.field(default_factory=list)
    changed_users: dict[int, User] = dataclasses.field(default_factory=dict)


def _plan_accounts(council: Council, planned, officers, error) -> _AccountPlan:
    """``link_account`` and ``_claim_account`` for every row whose name or email changed, and
    leavers' and returners' sign-in (``_sync_sign_in``), in three queries whatever the rows."""
    plan = _AccountPlan()
    linking = [
        (index, officer)
        for index, officer, changed, _was_active in planned
        if officer.email and (officer.pk is None or {"email", "full_name"} & set(changed))
    ]
    emails = {officer.email.lower() for _index, officer in linking}
    users = {}
    if emails:
        users = {
            user.email.lower(): user
            for user in User.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=emails
            )
        }
    held_by_officer = {
        officer.user_id: officer.employee_number for officer in officers if officer.user_id
    }
    held_by_member = set()
    if users:
        held_by_member = set(
            Member.objects.filter(user_id__in=[u.pk for u in users.values()]).values_list(
                "user_id", flat=True
            )
        )
    claimed: dict[str, str] = {}
    for index, officer in linking:
        email = officer.email.lower()
        user = users.get(email)
        if user is not None and user.council_id not in (None, council.pk):
            error(index, "email", "This email belongs to a person at another council.")
            continue
        holder = held_by_officer.get(user.pk) if user is not None else None
        if (
            (user is not None and user.pk in held_by_member)
            or (holder is not None and holder != officer.employee_number)
            or claimed.get(email, officer.employee_number) != officer.employee_number
        ):
            error(index, "email", "This email already belongs to another person.")
            continue
        claimed[email] = officer.employee_number
        if user is None:
            user = User(
                email=officer.email,
                full_name=officer.full_name,
                council=council,
                is_active=officer.active,
            )
            user.set_unusable_password()
            plan.new_users.append(user)
            users[email] = user
        elif user.council_id is None or user.full_name != officer.full_name:
            user.council_id, user.full_name = council.pk, officer.full_name
            plan.changed_users[id(user)] = user
        officer.user = user
    for _index, officer, _changed, _was_active in planned:
        user = officer.user
        if user is not None and user.pk is not None and user.is_active != officer.active:
            user.is_active = officer.active
            plan.changed_users[id(user)] = user
    return plan


def _write_officer_sync(council, planned, manager_of, by_number, accounts, result) -> None:
    """The writes of ``sync_officers``, after every check passed: one statement each for new
    accounts, changed accounts, new officers (ids drawn first, so that new officers can
    manage each other in the same INSERT) and changed officers."""
    if accounts.new_users:
        User.objects.bulk_create(accounts.new_users)
    if accounts.changed_users:
        User.objects.bulk_update(
            list(accounts.changed_users.values()), ["council", "full_name", "is_active"]
        )
    new = [officer for _i, officer, _c, _a in planned if officer.pk is None]
    new_ones = {id(officer) for officer in new}
    if new:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('council_officer', 'id')) "
                "FROM generate_series(1, %s)",
                [len(new)],
            )
            for officer, (pk,) in zip(new, cursor.fetchall(), strict=True):
                officer.pk = pk
    now = timezone.now()
    changed_officers, changed_fields = [], set()
    for _index, officer, changed, _was_active in planned:
        manager = manager_of.get(officer.employee_number)
        officer.line_manager_id = by_number[manager].pk if manager is not None else None
        if id(officer) in new_ones:
            officer.user_id = officer.user.pk if officer.user is not None else None
            result.outcomes.append((officer.employee_number, SYNC_CREATED))
        elif changed or (officer.user is not None and officer.user_id != officer.user.pk):
            officer.version = F("version") + 1
            officer.updated_at = now
            officer.user_id = officer.user.pk if officer.user is not None else None
            changed_officers.append(officer)
            changed_fields.update(changed)
            result.outcomes.append((officer.employee_number, SYNC_UPDATED))
        else:
            result.outcomes.append((officer.employee_number, SYNC_UNCHANGED))
    if new:
        Officer.objects.bulk_create(new)
    if changed_officers:
        fields = sorted(changed_fields | {"version", "updated_at", "user"})
        Officer.objects.bulk_update(changed_officers, fields)


# Importing members (the CSV import page) ---------------------------------------------------


@dataclass
class MemberSync:
    """What an import of members did (or would do): row outcomes in the order given."""

    dry_run: bool
    outcomes: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # (row, outcome)

    def count(self, outcome: str) -> int:
        return sum(1 for _row, result in self.outcomes if result == outcome)


def sync_members(*, council: Council, by, rows: list[dict], dry_run: bool = False) -> MemberSync:
    """Create (rows without ``id``) or update (rows with the ``id`` of a member of the
    council) every member in ``rows`` in one transaction, or none of them.

    Each row goes through ``create_member`` / ``update_member``, so the rules are theirs;
    every row's problems are collected and raised together as one ``ValidationError`` keyed
    ``members.<row index>.<field>``, and then nothing is written. A council has tens of
    members, so rows are written one by one. ``dry_run`` checks everything, then rolls back.
    """
    errors: dict[str, list[str]] = {}
    result = MemberSync(dry_run=dry_run)
    ids = [row["id"] for row in rows if row.get("id") is not None]
    with transaction.atomic(), acting_as(actor_of(by)):
        existing = Member.objects.select_for_update().filter(council=council, pk__in=ids)
        members = {member.pk: member for member in existing}
        for index, row in enumerate(rows):
            fields = dict(row)
            pk = fields.pop("id", None)
            try:
                if pk is None:
                    create_member(council=council, by=by, **fields)
                    result.outcomes.append((index, SYNC_CREATED))
                    continue
                member = members.get(pk)
                if member is None:
                    raise ValidationError({"id": [f"This council has no member with id {pk}."]})
                version = member.version
                member = update_member(member=member, by=by, **fields)
                outcome = SYNC_UNCHANGED if member.version == version else SYNC_UPDATED
                result.outcomes.append((index, outcome))
            except ValidationError as invalid:
                problems = (
                    invalid.message_dict
                    if hasattr(invalid, "error_dict")
                    else {"non_field_errors": invalid.messages}
                )
                for name, messages in problems.items():
                    errors.setdefault(f"members.{index}.{name}", []).extend(messages)
        if errors:
            raise ValidationError(errors)
        if dry_run:
            transaction.set_rollback(True)
        return result


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


def _check_panel_conflicts(convened_about: Officer | None, members) -> None:
    """Members with an active declared relationship with the officer a panel is convened
    about may not sit on it (city council protocol 4.5; DESIGN.md, Declared relationships).
    One query for all the members; the refusal says who, never why."""
    if convened_about is None or not members:
        return
    from relationships.selectors import conflicted

    from .calendar import local_date

    barred = conflicted(
        convened_about, [member for member, _role in members], on=local_date(timezone.now())
    )
    if barred:
        names = ", ".join(sorted(str(member) for member in barred))
        raise ValidationError(
            {"members": [f"{names} cannot sit on this panel. Choose other members."]}
        )


def create_committee(
    *,
    council: Council,
    by,
    name: str,
    kind: str = "committee",
    members: Iterable[tuple[Member, str]] = (),
    convened_about: Officer | None = None,
) -> Committee:
    """A committee or panel; ``convened_about``: the officer a panel is about (a hearing)."""
    members = list(members)
    _validate_committee_members(council, members)
    _same_council(council, "convened_about", convened_about)
    _check_panel_conflicts(convened_about, members)
    with transaction.atomic(), acting_as(actor_of(by)):
        committee = Committee(council=council, name=name, kind=kind, convened_about=convened_about)
        _full_clean(committee)
        with _unique_in_council(committee_name_unique="name"):
            committee.save()
        _seat_members(committee, members)
        return committee


def update_committee(
    *,
    committee: Committee,
    by,
    expected_version=None,
    members: Iterable[tuple[Member, str]] | None = None,
    **fields,
) -> Committee:
    """Rename or re-kind a committee, change the officer a panel is convened about and,
    given ``members``, replace its membership."""
    unknown = set(fields) - {"name", "kind", "convened_about"}
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    _same_council(committee.council, "convened_about", fields.get("convened_about"))
    if members is not None:
        members = list(members)
        _validate_committee_members(committee.council, members)
    with transaction.atomic(), acting_as(actor_of(by)):
        committee = Committee.objects.select_for_update().get(pk=committee.pk)
        check_version(committee, expected_version)
        changed = _apply_changes(committee, fields)
        if members is not None or "convened_about" in changed:
            seated = members
            if seated is None:
                seated = [
                    (seat.member, seat.role)
                    for seat in committee.memberships.select_related("member")
                ]
            _check_panel_conflicts(committee.convened_about, seated)
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


def _seat_members(committee: Committee, members) -> None:
    """Seat ``members`` (already checked by ``_validate_committee_members``) on ``committee``.
    Each seat carries the committee's council, which the database checks against the
    member's (migration 0005)."""
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(
            council_id=committee.council_id, committee=committee, member=member, role=role
        )
        for member, role in members
    )


def _replace_committee_members(committee: Committee, members) -> None:
    CommitteeMembership.objects.filter(committee=committee).delete()
    _seat_members(committee, members)


def set_committee_members(
    *, committee: Committee, by, members: Iterable[tuple[Member, str]]
) -> None:
    """Replace a committee's membership with ``(member, role)`` pairs."""
    members = list(members)
    _validate_committee_members(committee.council, members)
    with transaction.atomic(), acting_as(actor_of(by)):
        locked = Committee.objects.select_for_update().get(pk=committee.pk)
        _check_panel_conflicts(locked.convened_about, members)
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
