"""Who may see and do what with conduct complaints (DESIGN.md, Conduct complaints; Security
decisions). Complaints are confidential:

Seeing (``access``; ``complaints.conduct.selectors.complaints_for`` builds the same rule as a
queryset):

- in full: the Monitoring Officer and deputies of the complaint's council, every current and
  past stage owner and every assigned investigator — these last two by a django-guardian
  per-object grant (``view_complaint``) given when their stage opens or they are assigned
  (``grant_view``), never by a global permission (which would cross councils);
- its progress and outcome: the complainant;
- what they have been told: the subject, once told (``subject_notified_at``);
- nobody else: not a director unless they own a stage, not the Chief Executive, not a service
  superuser, not an API token. What a person may not see is not found (404).

A party to a complaint sees it as a party, whatever else they are (a Monitoring Officer who is
its subject does not read it in full).

Acting (``may_act``; the services ask it under the row lock, the API and pages before reading
the body, so a refusal is a 403 for whoever may see the complaint):

- the Monitoring Officer and deputies: every action;
- the current stage's owner: escalate, resolve, cite, tell the subject, add evidence;
- an investigator: cite, add evidence;
- the complainant: escalate (when dissatisfied), withdraw, add evidence;
- the system's own processes (the deadline sweep): every action.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from guardian.shortcuts import assign_perm

from council.models import Member, Officer, User
from council.roles import is_monitoring_officer, member_of, officer_of

FULL, COMPLAINANT, SUBJECT = "full", "complainant", "subject"
VIEW_PERMISSION = "view_complaint"

OWNER_ACTIONS = frozenset({"escalate", "resolve", "cite", "notify_subject", "attach"})
INVESTIGATOR_ACTIONS = frozenset({"cite", "attach"})
COMPLAINANT_ACTIONS = frozenset({"escalate", "withdraw", "attach"})


def is_system(by) -> bool:
    """A process acting in its own name (``"task:sweep"``) or nobody named."""
    return by is None or isinstance(by, str)


def is_person(user) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def in_council(user, council_id: int) -> bool:
    return is_person(user) and user.council_id == council_id


def is_monitoring_officer_of(user, council_id: int) -> bool:
    """The Monitoring Officer or a deputy of this council."""
    return in_council(user, council_id) and is_monitoring_officer(user)


def party_of(user, complaint) -> str | None:
    """``COMPLAINANT`` or ``SUBJECT`` when ``user`` is that party of ``complaint``."""
    if not is_person(user):
        return None
    member, officer = member_of(user), officer_of(user)
    member_id = member.pk if member is not None else None
    officer_id = officer.pk if officer is not None else None

    def named(prefix: str) -> bool:
        return (
            member_id is not None and getattr(complaint, f"{prefix}_member_id") == member_id
        ) or (officer_id is not None and getattr(complaint, f"{prefix}_officer_id") == officer_id)

    if named("complainant"):
        return COMPLAINANT
    if named("subject"):
        return SUBJECT
    return None


def has_grant(user, complaint) -> bool:
    """A guardian per-object grant: a current or past stage owner, or an investigator. The
    complaint selector annotates it (``viewer_granted``) so a list asks once."""
    annotated = getattr(complaint, "viewer_granted", None)
    if annotated is not None:
        return bool(annotated)
    from .models import ComplaintUserObjectPermission

    return ComplaintUserObjectPermission.objects.filter(
        user_id=user.pk, content_object_id=complaint.pk, permission__codename=VIEW_PERMISSION
    ).exists()


def access(user, complaint) -> str | None:
    """How much of ``complaint`` ``user`` may see: ``FULL``, ``COMPLAINANT``, ``SUBJECT`` or
    None (not found)."""
    if not in_council(user, complaint.council_id):
        return None
    party = party_of(user, complaint)
    if party == COMPLAINANT:
        return COMPLAINANT
    if party == SUBJECT:
        return SUBJECT if complaint.subject_notified_at is not None else None
    if is_monitoring_officer(user) or has_grant(user, complaint):
        return FULL
    return None


def owns_current_stage(user, complaint) -> bool:
    stage = complaint.current_stage
    if stage is None or not is_person(user):
        return False
    if stage.owner_officer_id:
        officer = officer_of(user)
        return officer is not None and officer.pk == stage.owner_officer_id
    if stage.owner_member_id:
        member = member_of(user)
        return member is not None and member.pk == stage.owner_member_id
    return False


def is_investigator(user, complaint) -> bool:
    officer = officer_of(user)
    if officer is None:
        return False
    return complaint.investigators.filter(officer_id=officer.pk).exists()


def may_act(by, action: str, complaint) -> bool:
    """Whether ``by`` may take ``action`` (a key of ``choices.COMPLAINT_TRANSITIONS``)."""
    if is_system(by):
        return True
    level = access(by, complaint)
    if level is None:
        return False
    if level == COMPLAINANT:
        return action in COMPLAINANT_ACTIONS
    if level == SUBJECT:
        return False
    if is_monitoring_officer(by):
        return True
    if action in OWNER_ACTIONS and owns_current_stage(by, complaint):
        return True
    return action in INVESTIGATOR_ACTIONS and is_investigator(by, complaint)


def require(by, action: str, complaint) -> None:
    """Raise ``PermissionDenied`` (403) unless ``may_act``."""
    if not may_act(by, action, complaint):
        raise PermissionDenied("You may not do this to this complaint.")


def may_raise(user) -> bool:
    """Any member or active officer of a council raises a concern, as themselves."""
    return is_person(user) and (officer_of(user) is not None or member_of(user) is not None)


def may_manage_routes(user, council_id: int) -> bool:
    """The Monitoring Officer (and deputies) edit the council's complaint routes."""
    return is_monitoring_officer_of(user, council_id)


def may_see_view_log(user, complaint) -> bool:
    """Who looked at a complaint is for the Monitoring Officer (and deputies), unless they are
    a party to it."""
    return access(user, complaint) == FULL and is_monitoring_officer(user)


def grant_view(person: Member | Officer | None, complaint) -> None:
    """Give ``person``'s account the per-object ``view_complaint`` grant (a stage owner when
    the stage opens, an investigator when assigned). Kept after the stage closes: past owners
    still see the complaint in full."""
    user_id = getattr(person, "user_id", None)
    if user_id is None:
        return
    assign_perm(VIEW_PERMISSION, User(pk=user_id), complaint)
