"""Who may see and do what with the organisation's records."""

from .choices import Seniority, StatutoryRole, Team

HISTORY_ROLES = (StatutoryRole.MONITORING_OFFICER, StatutoryRole.DEPUTY_MONITORING_OFFICER)


def can_view_history(user, *, council_id, model=None) -> bool:
    """A record's audit history (core.audit.views): the monitoring officer, their deputies
    and the council's Councilcase administrators, for their own council's records only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if council_id is None or council_id != user.council_id:
        return False
    officer = getattr(user, "officer", None)  # None when the account is not an officer's
    if officer is None or not officer.active or officer.council_id != council_id:
        return False
    if getattr(model, "history_is_confidential", False):
        # A declaration's history names who declared what about whom: the register's keepers
        # only (DESIGN.md, Declared relationships), never the administrators.
        return officer.statutory_role in HISTORY_ROLES or (
            officer.seniority == Seniority.CHIEF_EXECUTIVE
            or officer.statutory_role == StatutoryRole.HEAD_OF_PAID_SERVICE
        )
    return officer.statutory_role in HISTORY_ROLES or Team.ADMINISTRATORS in officer.teams
