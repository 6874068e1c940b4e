"""What complaints does when other apps change something it depends on."""

from django.dispatch import receiver

from council.signals import officer_left

from . import services


def recompute_after_calendar_change(sender, *, council, by, **kwargs) -> None:
    """A council's working-day calendar changed: move the due dates of its open enquiries,
    in the same transaction as the change (council.signals.calendar_changed)."""
    services.recompute_due_dates(council=council, by=by)


@receiver(officer_left, dispatch_uid="complaints.flag_leavers_enquiries")
def flag_leavers_enquiries(sender, *, officer, by, **kwargs) -> None:
    """An officer left (council.signals.officer_left): flag their open enquiries for
    reassignment to their line manager, in the same transaction as the change."""
    services.flag_enquiries_for_reassignment(officer=officer, by=by)
