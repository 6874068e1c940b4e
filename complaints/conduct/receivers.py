"""Wiring of conduct complaints into the rest of the project, loaded by the complaints app's
``AppConfig.ready``:

- every new council gets the default complaint routes, in the transaction that creates it
  (``post_save`` of Council; councils that existed before are seeded by migration 0005);
- the open stages of an officer who leaves pass to the next person up (``officer_left``);
- the complaint tables are put on the audit trail, personal fields redacted (DESIGN.md, Audit
  and data protection). The view log and the stage history are their own append-only logs;
  the history is audited too, so its reasons are redacted there.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from core import audit
from council.models import Council
from council.signals import officer_left

from . import models


@receiver(post_save, sender=Council, dispatch_uid="complaints.conduct.seed_routes")
def seed_routes_for_new_council(sender, instance, created, raw=False, **kwargs) -> None:
    """A council was created (council.services.create_council, the admin, a factory): give it
    the default complaint routes of its protocols (DESIGN.md, Conduct complaints)."""
    if created and not raw:
        from .routing import seed_default_routes

        seed_default_routes(instance.pk, models.Route, models.RouteStage)


audit.register(models.Route)
audit.register(models.RouteStage)
audit.register(models.Complaint, redact=("description", "outcome_note"))
audit.register(models.ComplaintIncident, redact=("description",))
audit.register(models.CitedClause)
audit.register(models.ComplaintStage)
audit.register(models.ComplaintHistory, redact=("note",))
audit.register(models.ComplaintInvestigator)
audit.register(models.ComplaintEvidence, redact=("original_name", "file"))


@receiver(officer_left, dispatch_uid="complaints.conduct.pass_on_leavers_stages")
def pass_on_leavers_stages(sender, *, officer, by, **kwargs) -> None:
    """An officer left (council.signals.officer_left): the complaint stages they owned pass
    to the next person up, in the same transaction as the change."""
    from .services import pass_on_leavers_stages as pass_on

    pass_on(officer=officer, by=by)
