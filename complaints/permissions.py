"""Who may see and do what with member enquiries.

Seeing (``complaints.selectors.enquiries_for`` builds the queryset from these rules):

- a member: their own enquiries;
- an officer: those assigned to them, to officers they line-manage, and to their directorate
  (and to the directorates they direct, for a director);
- the casework team, the Monitoring Officer (and deputies) and the Chief Executive: every
  enquiry of their council;
- whoever logged an enquiry on a member's behalf: that enquiry;
- an API token with ``enquiries:read``: every enquiry of its council;
- nobody: another council's. What a person may not see is not found (404).

Acting (``may_act``; the services check it under the row lock and the API before reading the
body, so that a refusal is a 403 whatever was sent):

- the casework team and the assigned officer: every action;
- the assigned officer's line manager and the director of the enquiry's directorate: assign
  and escalate;
- the enquiry's member: escalate, when they remain dissatisfied (city council protocol 10.3.2);
- service superusers, tokens with ``enquiries:write`` and the system's own processes (the
  deadline sweep): every action.

Logging (``check_may_log``): any officer of the council, for any member and by any channel;
a member, only their own and through the portal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from core.api.principal import is_token_principal
from core.scoping import sees_all_councils
from council.choices import Seniority, Team
from council.models import User
from council.roles import (
    DIRECTOR_SENIORITIES,
    is_chief_executive,
    is_monitoring_officer,
    member_of,
    officer_of,
)

from .choices import EnquiryChannel

SCOPE = "enquiries"
# Actions the director and the assignee's line manager may take as well as the casework team.
MANAGEMENT_ACTIONS = frozenset({"assign", "escalate"})


def is_system(by) -> bool:
    """A process acting in its own name (``"task:sweep"``, ``"command:..."``) or nobody named."""
    return by is None or isinstance(by, str)


def _person(by) -> bool:
    return isinstance(by, User) and by.is_authenticated and by.is_active


def sees_every_enquiry(user) -> bool:
    """The casework team, the Monitoring Officer (and deputies) and the Chief Executive."""
    officer = officer_of(user)
    if officer is None:
        return False
    return Team.CASEWORK in officer.teams or is_monitoring_officer(user) or is_chief_executive(user)


def may_work_on_enquiries(user) -> bool:
    """Whether the caller may use the enquiry API's writes at all (logging, actions): an
    active officer, a member, a service superuser or a token (whose scope the API checked).
    Which enquiry and which action is decided per enquiry by ``may_act``."""
    if is_token_principal(user) or sees_all_councils(user):
        return True
    return officer_of(user) is not None or member_of(user) is not None


def directs(officer, enquiry) -> bool:
    """Whether ``officer`` is the director of the enquiry's directorate: named as its
    director, or of director seniority in it."""
    if enquiry.directorate_id is None:
        return False
    if enquiry.directorate.director_id == officer.pk:
        return True
    return officer.seniority in DIRECTOR_SENIORITIES and officer.directorate_id == (
        enquiry.directorate_id
    )


def manages_assignee(officer, enquiry) -> bool:
    assignee = enquiry.assigned_officer
    return assignee is not None and assignee.line_manager_id == officer.pk


def may_act(by, action: str, enquiry) -> bool:
    """Whether ``by`` may take ``action`` (a key of ``choices.ENQUIRY_TRANSITIONS``) on
    ``enquiry``."""
    if is_system(by):
        return True
    if is_token_principal(by):
        return by.council_id == enquiry.council_id and by.has_scope(SCOPE, write=True)
    if not _person(by):
        return False
    if sees_all_councils(by):
        return True
    officer = officer_of(by)
    if officer is not None and officer.council_id == enquiry.council_id:
        if Team.CASEWORK in officer.teams or enquiry.assigned_officer_id == officer.pk:
            return True
        if action in MANAGEMENT_ACTIONS and (
            manages_assignee(officer, enquiry) or directs(officer, enquiry)
        ):
            return True
    if action == "escalate":
        member = member_of(by)
        if member is not None and member.pk == enquiry.member_id:
            return True
    return False


def require(by, action: str, enquiry) -> None:
    """Raise ``PermissionDenied`` (403) unless ``may_act``."""
    if not may_act(by, action, enquiry):
        raise PermissionDenied("You may not do this to this enquiry.")


def check_may_log(by, *, council, member, channel: str, assigned_officer=None) -> None:
    """Raise unless ``by`` may log an enquiry for ``member`` in ``council``.

    Officers log what came by email, phone, letter or in person on a member's behalf; a
    member raises their own through the portal and leaves assignment to the casework team.
    """
    if is_system(by):
        return
    if is_token_principal(by):
        if by.council_id == council.pk and by.has_scope(SCOPE, write=True):
            return
        raise PermissionDenied("This token may not log enquiries for this council.")
    if not _person(by):
        raise PermissionDenied("Sign in to log an enquiry.")
    if sees_all_councils(by):
        return
    officer = officer_of(by)
    if officer is not None and officer.council_id == council.pk:
        return
    own = member_of(by)
    if own is None or own.council_id != council.pk:
        raise PermissionDenied("Only the council's officers and members log enquiries.")
    if member.pk != own.pk:
        raise PermissionDenied("Members raise enquiries for themselves.")
    errors = {}
    if channel != EnquiryChannel.PORTAL:
        errors["channel"] = ['Members raise enquiries through Councilcase: use "portal".']
    if assigned_officer is not None:
        errors["assigned_officer"] = ["The casework team assigns enquiries."]
    if errors:
        raise ValidationError(errors)


def may_see_conflict_details(user) -> bool:
    """Conflict checks reveal that a conflict exists, never its details, except to the
    Monitoring Officer and the Chief Executive (DESIGN.md, Declared relationships): the
    reason given for overriding one is shown to them (and service superusers) only."""
    return _person(user) and (
        sees_all_councils(user) or is_monitoring_officer(user) or is_chief_executive(user)
    )


def may_override_conflict(by) -> bool:
    """Whether ``by`` may assign despite a declared conflict of interest, giving a reason:
    the Monitoring Officer and the Chief Executive (to whom relationships are declared and
    who advise on them; city council protocol 4.6), directors, and managers of the casework
    team (who answer for the assignment: they can judge that no one else can take the case),
    service superusers and the system. A caseworker or an API token cannot: they are told of
    the conflict and choose someone else. The reason goes on the timeline (shown to the
    Monitoring Officer and the Chief Executive only) and so on the audit trail."""
    if is_system(by):
        return True
    if not _person(by):
        return False
    if sees_all_councils(by) or is_monitoring_officer(by) or is_chief_executive(by):
        return True
    officer = officer_of(by)
    if officer is None:
        return False
    return officer.seniority in DIRECTOR_SENIORITIES or (
        Team.CASEWORK in officer.teams and officer.seniority == Seniority.MANAGER
    )
