"""The audit trail: who changed what and when, for every app, append-only, in PostgreSQL.

DESIGN.md, Audit and data protection: every change is recorded with who, when and what, in a
trail application code cannot rewrite, which records that personal fields changed without
copying their values. Database triggers write it (core.audit.triggers), so ``.update()``,
bulk writes and raw SQL are recorded as surely as ``save()``.

Use:

- register a model, from its app's ``AppConfig.ready()``::

      audit.register(Officer, redact=("full_name", "email"), exclude=("last_seen_at",))

- name who is acting: the request middleware does it for signed-in users; API views mix in
  ``core.audit.drf.AuditActorMixin``; services, tasks and commands use
  ``with acting_as("user:5")`` / ``"task:sweep"`` / ``"command:import_protocol"``, or
  ``set_actor(...)`` inside their transaction.
- read a record's history at ``history_url(instance)`` (core.audit.views).

Append-only is enforced by the database: a statement trigger refuses UPDATE, DELETE and
TRUNCATE on the trail for everyone, the table owner included. For the application not to be
able to drop that trigger or forge events, production runs migrations as the owning role and
the application as one that owns nothing::

    GRANT SELECT ON core_auditevent TO councilcase_app;   -- no INSERT, UPDATE, DELETE

The trigger function is SECURITY DEFINER, so the application's writes are still recorded.
"""

from .actor import acting_as, actor_scope, set_actor
from .registry import register

__all__ = ["acting_as", "actor_scope", "history_url", "register", "set_actor"]


def history_url(instance) -> str:
    """The address of ``instance``'s history page."""
    from django.urls import reverse

    opts = instance._meta
    return reverse("audit:history", args=[opts.app_label, opts.model_name, instance.pk])
