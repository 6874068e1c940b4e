"""Optimistic concurrency for every ``VersionedModel`` (API.md: ``version``, ETag, If-Match).

Services lock the row (``select_for_update``), call ``check_version`` with the version the
caller last read (or None when the caller sent no If-Match), change fields and call
``save_new_version``.
"""

from django.db.models import F

from .errors import PreconditionFailed


def check_version(instance, expected_version):
    if expected_version is not None and int(expected_version) != instance.version:
        raise PreconditionFailed(current=instance.version)


def save_new_version(instance, update_fields=None):
    """Save ``instance`` with its version incremented in the same UPDATE."""
    instance.version = F("version") + 1
    if update_fields is not None:
        update_fields = {*update_fields, "version", "updated_at"}
    instance.save(update_fields=update_fields)
    instance.refresh_from_db(fields=["version"])
    return instance
