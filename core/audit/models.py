"""The audit trail: one append-only table, written only by database triggers.

Every create, update and delete of a registered model is recorded with who, when and what
changed (DESIGN.md, Audit and data protection), whether it came from the ORM, ``.update()``,
a bulk write or raw SQL, because PostgreSQL writes the rows (``core.audit.triggers``).

The table is created and guarded by SQL in ``core/migrations/0001_initial.py``, not by Django:
the model is unmanaged, so Django never alters it and ``flush`` (pytest-django's transactional
tests) never tries to TRUNCATE it, which its guard trigger refuses.
"""

from django.db import models

from core.loading import PlainLoading


class AuditAction(models.TextChoices):
    INSERT = "insert", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    TRUNCATE = "truncate", "Emptied (every row removed)"


class AuditEvent(PlainLoading, models.Model):
    """One change to one row (or, for ``truncate``, to a whole table).

    ``changes`` holds, for an insert, the new values; for an update, only the changed columns
    as ``{"column": [old, new]}``; for a delete, the old values. Redacted (personal) columns
    appear as ``"set"`` / ``"changed"`` without their values, so the trail does not keep
    personal data past its retention. ``actor`` is ``user:<id>``, ``token:<id>``,
    ``task:<name>``, ``command:<name>``, or null when nobody was named (core.audit.acting_as).
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField()
    transaction_id = models.BigIntegerField()
    actor = models.TextField(null=True)
    table_name = models.TextField(db_collation="C")
    row_pk = models.TextField(db_collation="C", null=True)
    council_id = models.BigIntegerField(null=True)
    action = models.TextField(choices=AuditAction.choices)
    changes = models.JSONField(default=dict)

    class Meta:
        managed = False
        db_table = "core_auditevent"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.action} {self.table_name} {self.row_pk} by {self.actor or 'system'}"
