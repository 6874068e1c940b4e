"""Who may read and who may change a council's protocols (DESIGN.md, Protocols and Who uses
it: the Monitoring Officer "maintains the protocol and its reviews").

Reading (``protocols.selectors`` builds its querysets from these rules):

- everyone of the council (members and officers) and tokens with ``protocols:read``: the
  versions out for consultation, adopted and superseded, their clauses and search;
- those who may change protocols: drafts too;
- nobody: another council's protocols (not found, 404).

Changing (importing, consulting, adopting, relabelling, setting the next review): the
Monitoring Officer and deputies, the council's Councilcase administrators, service
superusers, tokens with ``protocols:write`` and the system's own processes (commands,
``seed_demo``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core.api.principal import is_token_principal
from core.scoping import sees_all_councils, viewer_council_id
from council.models import User
from council.roles import is_council_administrator, is_monitoring_officer

SCOPE = "protocols"


def is_system(by) -> bool:
    """A process acting in its own name (``"command:import_protocol"``) or nobody named."""
    return by is None or isinstance(by, str)


def may_change_protocols(by, council_id: int | None = None) -> bool:
    """Whether ``by`` may import, adopt and change protocols (of ``council_id`` when given;
    of their own council otherwise)."""
    if is_system(by):
        return True
    if is_token_principal(by):
        own = by.has_scope(SCOPE, write=True)
        return own and (council_id is None or by.council_id == council_id)
    if not (isinstance(by, User) and by.is_authenticated and by.is_active):
        return False
    if sees_all_councils(by):
        return True
    if council_id is not None and viewer_council_id(by) != council_id:
        return False
    return is_monitoring_officer(by) or is_council_administrator(by)


def may_read_protocols(viewer) -> bool:
    """Whether ``viewer`` may read their council's protocols at all."""
    if is_token_principal(viewer):
        return viewer.has_scope(SCOPE, write=False)
    return sees_all_councils(viewer) or viewer_council_id(viewer) is not None


def require_may_change(by, council_id: int) -> None:
    """Raise ``PermissionDenied`` (403) unless ``may_change_protocols``."""
    if not may_change_protocols(by, council_id):
        raise PermissionDenied("Only the Monitoring Officer and administrators change protocols.")
