"""Who a signed-in person is in their council: the roles the protocol gives people.

Roles are derived from the member and officer records (statutory role, seniority, teams),
never stored on the account, so the HR sync that changes a record changes the role with it.
Every permission check in the project asks these functions rather than reading the fields.
"""

from __future__ import annotations

from .choices import Seniority, StatutoryRole, Team
from .models import Member, Officer, User

MONITORING_OFFICER_ROLES = (
    StatutoryRole.MONITORING_OFFICER,
    StatutoryRole.DEPUTY_MONITORING_OFFICER,
)
DIRECTOR_SENIORITIES = (
    Seniority.DIRECTOR,
    Seniority.EXECUTIVE_DIRECTOR,
    Seniority.CHIEF_EXECUTIVE,
)


def _is_person(user) -> bool:
    """A signed-in account. An API token's principal is no person and holds no role."""
    return isinstance(user, User) and user.is_authenticated


def officer_of(user) -> Officer | None:
    """The active officer record linked to ``user``, or None."""
    if not _is_person(user):
        return None
    try:
        officer = user.officer
    except Officer.DoesNotExist:
        return None
    return officer if officer.active else None


def member_of(user) -> Member | None:
    if not _is_person(user):
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


def is_monitoring_officer(user) -> bool:
    """The Monitoring Officer or a deputy (city council protocol 13, 15)."""
    officer = officer_of(user)
    return officer is not None and officer.statutory_role in MONITORING_OFFICER_ROLES


def is_chief_executive(user) -> bool:
    officer = officer_of(user)
    return officer is not None and (
        officer.seniority == Seniority.CHIEF_EXECUTIVE
        or officer.statutory_role == StatutoryRole.HEAD_OF_PAID_SERVICE
    )


def is_director(user) -> bool:
    officer = officer_of(user)
    return officer is not None and officer.seniority in DIRECTOR_SENIORITIES


def in_team(user, team: str) -> bool:
    officer = officer_of(user)
    return officer is not None and team in officer.teams


def is_council_administrator(user) -> bool:
    """May change the council's settings and people records."""
    return bool(getattr(user, "is_superuser", False)) or in_team(user, Team.ADMINISTRATORS)


def is_casework_team(user) -> bool:
    return in_team(user, Team.CASEWORK)


def is_hr(user) -> bool:
    return in_team(user, Team.HR)


def role_names(user) -> list[str]:
    """Plain-English roles for the header and home page."""
    names = []
    officer = officer_of(user)
    if officer is not None:
        if officer.statutory_role:
            names.append(officer.get_statutory_role_display())
        elif officer.seniority != Seniority.OFFICER:
            names.append(officer.get_seniority_display())
        else:
            names.append("Officer")
        names.extend(Team(team).label for team in officer.teams)
    member = member_of(user)
    if member is not None:
        names.append(member.get_kind_display())
    if getattr(user, "is_superuser", False):
        names.append("Service administrator")
    return names
