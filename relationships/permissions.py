"""Who may see and do what with declarations, and who may ask the conflict check.

Seeing (``relationships.selectors.declarations_for`` builds the queryset from these rules):

- the declarant: their own declarations;
- the counterpart (a member or officer named in one): only once advice has been given, since
  the advice is "to both parties" (city council protocol 4.6), and never its description;
- the Monitoring Officer (and deputies): the whole register of their council — they keep it,
  and organisation memberships are declared to them alone (13.1-13.2);
- the Chief Executive: the declarations made to the Chief Executive (the council's setting
  ``Council.declarations_go_to``; 4.5-4.6);
- nobody else: not other members or officers, not administrators or service superusers, not
  API tokens (the register is not on anything public). What they may not see is not found.

Acting (``may_act``): the register's keepers who may see it acknowledge it and give advice,
never on their own declaration; the declarant and the keepers end it; the declarant corrects
it. Recording one on someone's behalf: the Monitoring Officer (and deputies) only.

Asking the conflict check (``may_ask_about_conflicts``): only those who assign or route work
(DESIGN.md, Security decisions) — the casework team, managers, directors, the Monitoring
Officer and the Chief Executive, and API tokens with ``conflicts:read``. Only the Monitoring
Officer and the Chief Executive learn why a conflict exists (``may_see_conflict_details``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core.api.principal import is_token_principal
from council.choices import Seniority, Team
from council.models import User
from council.roles import (
    DIRECTOR_SENIORITIES,
    is_chief_executive,
    is_monitoring_officer,
    member_of,
    officer_of,
)

from .choices import DeclarationRecipient

CONFLICTS_SCOPE = "conflicts"
# The seniorities that assign or route work besides the casework team.
ROUTING_SENIORITIES = (Seniority.MANAGER, *DIRECTOR_SENIORITIES)


def _person(user) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def keeps_register(user) -> bool:
    """The Monitoring Officer (and deputies) or the Chief Executive: the people declarations
    are made to (city council protocol 4.5-4.6)."""
    return _person(user) and (is_monitoring_officer(user) or is_chief_executive(user))


def may_see_conflict_details(user) -> bool:
    """Conflict checks reveal that a conflict exists, never its details, except to the
    Monitoring Officer and the Chief Executive (DESIGN.md, Declared relationships)."""
    return keeps_register(user)


def keeper_sees(user, declaration) -> bool:
    """Whether ``user`` sees ``declaration`` as a keeper of the register."""
    if not keeps_register(user) or user.council_id != declaration.council_id:
        return False
    if is_monitoring_officer(user):
        return True
    return declaration.declared_to == DeclarationRecipient.CHIEF_EXECUTIVE


def is_declarant(user, declaration) -> bool:
    member, officer = member_of(user), officer_of(user)
    return (member is not None and declaration.declarant_member_id == member.pk) or (
        officer is not None and declaration.declarant_officer_id == officer.pk
    )


def is_counterpart(user, declaration) -> bool:
    member, officer = member_of(user), officer_of(user)
    return (member is not None and declaration.counterpart_member_id == member.pk) or (
        officer is not None and declaration.counterpart_officer_id == officer.pk
    )


def sees_description(user, declaration) -> bool:
    """The description is the declarant's words to the recipient: the counterpart, who sees
    the advice, does not see it."""
    return keeper_sees(user, declaration) or is_declarant(user, declaration)


def may_act(by, action: str, declaration) -> bool:
    """Whether ``by`` may take ``action`` (a key of ``choices.DECLARATION_TRANSITIONS``)."""
    if by is None or isinstance(by, str):
        return True  # the system's own processes (seed_demo, commands)
    if not _person(by):
        return False
    own = is_declarant(by, declaration)
    keeper = keeper_sees(by, declaration)
    if action in ("acknowledge", "advise"):
        return keeper and not own
    if action == "end":
        return own or keeper
    if action == "update":
        return own or (keeper and not own and is_monitoring_officer(by))
    return False


def require(by, action: str, declaration) -> None:
    if not may_act(by, action, declaration):
        raise PermissionDenied("You may not do this to this declaration.")


def may_declare(user) -> bool:
    """Members and officers declare their own relationships (4.5); the pages and the API's
    create ask this before anything else."""
    return _person(user) and (officer_of(user) is not None or member_of(user) is not None)


def may_record_on_behalf(by) -> bool:
    """The Monitoring Officer may record a declaration made to them in writing on the
    declarant's behalf (13.1-13.2)."""
    if by is None or isinstance(by, str):
        return True
    return _person(by) and is_monitoring_officer(by)


def may_ask_about_conflicts(caller) -> bool:
    """Those who assign or route work (DESIGN.md, Security decisions). A token's scope is
    checked by the API's permission class; a token without it never reaches here."""
    if is_token_principal(caller):
        return caller.has_scope(CONFLICTS_SCOPE, write=False)
    if not _person(caller):
        return False
    officer = officer_of(caller)
    if officer is None:
        return False
    return (
        Team.CASEWORK in officer.teams
        or officer.seniority in ROUTING_SENIORITIES
        or is_monitoring_officer(caller)
        or is_chief_executive(caller)
    )
