"""Reads of the audit trail: one record's history, a page at a time, newest first."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from .models import AuditAction, AuditEvent
from .registry import audited

PAGE_SIZE = 50
NOT_RECORDED = object()  # a record the trail knows nothing about


@dataclass
class Change:
    """One field of an event, its values ready to show ("" where the event has none)."""

    field: str
    label: str
    redacted: bool
    old: str = ""
    new: str = ""


@dataclass
class HistoryEntry:
    event: AuditEvent
    actor_name: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    older_than: int | None  # the cursor for the next (older) page, None on the last


def record_council(*, table: str, pk: str):
    """The council the record belongs to, from its latest event (it may since have been
    deleted); ``NOT_RECORDED`` when the trail has no event for it."""
    council_id = (
        AuditEvent.objects.filter(table_name=table, row_pk=pk)
        .order_by("-id")
        .values_list("council_id", flat=True)[:1]
    )
    found = list(council_id)
    return found[0] if found else NOT_RECORDED


def record_history(
    *, model, table: str, pk: str, council_id, older_than: int | None = None
) -> HistoryPage:
    """One page of a record's events in its council (two queries, whatever the page holds:
    the events, then the names of the users who made them)."""
    events = AuditEvent.objects.filter(table_name=table, row_pk=pk, council_id=council_id)
    if council_id is None:
        events = AuditEvent.objects.filter(table_name=table, row_pk=pk, council_id__isnull=True)
    if older_than is not None:
        events = events.filter(id__lt=older_than)
    page = list(events.order_by("-id")[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    names = _actor_names(event.actor for event in page)
    labels = {f.column: str(f.verbose_name) for f in model._meta.concrete_fields}
    registration = audited(model)
    redacted = set(registration.redact) if registration else set()
    entries = [
        HistoryEntry(
            event=event,
            actor_name=names.get(event.actor) or describe_actor(event.actor),
            changes=_changes(event, labels, redacted),
        )
        for event in page
    ]
    return HistoryPage(entries=entries, older_than=page[-1].id if more else None)


def describe_actor(actor: str | None) -> str:
    if not actor:
        return "System"
    kind, _, name = actor.partition(":")
    return {
        "user": f"User {name} (account deleted)",
        "token": f"API token {name}",
        "task": f"Scheduled task: {name}",
        "command": f"Command: {name}",
    }.get(kind, actor)


def _actor_names(actors) -> dict[str, str]:
    """``{"user:12": "Ann Smith"}`` for the users among ``actors``, in one query."""
    user_ids = set()
    for actor in actors:
        kind, _, identifier = (actor or "").partition(":")
        if kind == "user" and identifier.isdigit():
            user_ids.add(int(identifier))
    if not user_ids:
        return {}
    users = get_user_model().objects.filter(pk__in=user_ids)
    return {f"user:{user.pk}": str(user) for user in users}


def _changes(event: AuditEvent, labels: dict[str, str], redacted: set[str]) -> list[Change]:
    """Redacted: registered as redacted now (so values recorded before a field was redacted
    are not shown either), or an update recorded without values."""
    changes = []
    for column, value in sorted(event.changes.items()):
        label = labels.get(column, column.replace("_", " "))
        is_update = event.action == AuditAction.UPDATE
        if column in redacted or (is_update and not isinstance(value, list)):
            changes.append(Change(field=column, label=label, redacted=True))
        elif is_update:
            old, new = value
            changes.append(Change(column, label, False, old=_shown(old), new=_shown(new)))
        elif event.action == AuditAction.DELETE:
            changes.append(Change(column, label, False, old=_shown(value)))
        else:
            changes.append(Change(column, label, False, new=_shown(value)))
    return changes


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)
