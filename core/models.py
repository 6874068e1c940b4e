"""Abstract bases every domain model shares, and the audit trail. No domain rules live here."""

from django.db import models

from .audit.models import AuditAction, AuditEvent
from .loading import PlainLoading

__all__ = ["AuditAction", "AuditEvent", "PlainLoading", "VersionedModel"]


class VersionedModel(PlainLoading, models.Model):
    """A mutable record that clients edit with optimistic concurrency.

    ``version`` backs the API's ``ETag`` / ``If-Match`` contract (API.md, Conventions): every
    service that changes the row increments it, and a stale ``If-Match`` answers 412.
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
