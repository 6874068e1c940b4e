"""What complaints does when other apps change something it depends on."""

from . import services


def recompute_after_calendar_change(sender, *, council, by, **kwargs) -> None:
    """A council's working-day calendar changed: move the due dates of its open enquiries,
    in the same transaction as the change (council.signals.calendar_changed)."""
    services.recompute_due_dates(council=council, by=by)
