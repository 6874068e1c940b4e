"""Reading the change feed from the audit trail without ever skipping a change.

The naive feed — events after the last one served, by id — loses changes. Ids (and clock
times) are taken when a row is written, but rows become visible when their transaction
commits: a slow transaction T1 writes event 10, a quick T2 writes event 11 and commits, a
client reads 11 and stores its cursor, T1 commits, and event 10 now sits *before* the cursor,
never to be served.

So the feed is ordered by ``(transaction_id, id)`` and serves only events of transactions
older than the reading snapshot's ``xmin`` (``pg_snapshot_xmin(pg_current_snapshot())``), the
oldest transaction still running: every transaction below it has finished, and every
transaction that commits later has an id at or above it, so no event can ever appear before a
cursor the feed has handed out. (``transaction_id`` is ``txid_current()``, the 64-bit id with
its epoch, comparable with the snapshot's ``xid8``.) The price: a transaction left open holds
the feed back until it ends, so the feed lags by the longest transaction running (keep
``idle_in_transaction_session_timeout`` set in production). Within one transaction, events
keep the order they were written in.

The query is a walk of the index ``core_auditevent_feed (council_id, transaction_id, id)``
(core/migrations/0002_auditevent_feed.py) from the cursor: a page costs the same at any depth.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from dataclasses import dataclass

from django.db import connection

# What the feed calls each audited change. An update that changes a ``status`` column is a
# state change (an enquiry acknowledged, a complaint resolved).
CREATED, UPDATED, STATUS_CHANGED, DELETED = "created", "updated", "status_changed", "deleted"
ACTIONS = (CREATED, UPDATED, STATUS_CHANGED, DELETED)
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

_POSITION = re.compile(r"^(?P<transaction>\d{1,19}):(?P<event>\d{1,19})$")
_MAX_BIGINT = 2**63 - 1


class BadCursor(ValueError):
    """A cursor this feed did not hand out."""


@dataclass(frozen=True, order=True)
class Position:
    """Just after this event: its transaction's id, then its own."""

    transaction_id: int
    event_id: int

    def encode(self) -> str:
        """Opaque to clients: URL-safe base64 of ``"<transaction_id>:<event_id>"``."""
        text = f"{self.transaction_id}:{self.event_id}".encode()
        return base64.urlsafe_b64encode(text).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        except (binascii.Error, UnicodeError, ValueError) as error:
            raise BadCursor(cursor) from error
        match = _POSITION.match(text)
        if match is None:
            raise BadCursor(cursor)
        transaction_id, event_id = int(match["transaction"]), int(match["event"])
        position = cls(transaction_id, event_id)
        if transaction_id > _MAX_BIGINT or event_id > _MAX_BIGINT or position.encode() != cursor:
            raise BadCursor(cursor)  # only the exact text the feed hands out
        return position


START = Position(0, 0)


@dataclass(frozen=True)
class Event:
    position: Position
    at: datetime.datetime
    table: str
    record_id: int
    action: str


_PAGE = """
SELECT id, transaction_id, occurred_at, table_name, row_pk,
       CASE action
           WHEN 'insert' THEN 'created'
           WHEN 'delete' THEN 'deleted'
           WHEN 'update' THEN
               CASE WHEN jsonb_exists(changes, 'status') THEN 'status_changed' ELSE 'updated' END
       END
FROM core_auditevent
WHERE {council}
  AND (transaction_id, id) > (%(transaction_id)s, %(event_id)s)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
  AND table_name = ANY(%(tables)s)
  AND action IN ('insert', 'update', 'delete')
  AND row_pk ~ '^[0-9]{{1,18}}$'
ORDER BY transaction_id, id
LIMIT %(limit)s
"""


def events_after(
    position: Position,
    *,
    tables: list[str],
    council_id: int | None,
    all_councils: bool = False,
    limit: int = DEFAULT_PAGE_SIZE,
) -> list[Event]:
    """Up to ``limit`` events after ``position`` on ``tables``, oldest first, in the council
    ``council_id`` (every council's only with ``all_councils``). One query."""
    if not tables or (council_id is None and not all_councils):
        return []
    council = "TRUE" if all_councils else "council_id = %(council_id)s"
    with connection.cursor() as cursor:
        cursor.execute(
            _PAGE.format(council=council),
            {
                "council_id": council_id,
                "transaction_id": position.transaction_id,
                "event_id": position.event_id,
                "tables": list(tables),
                "limit": limit,
            },
        )
        rows = cursor.fetchall()
    return [
        Event(
            position=Position(transaction_id, event_id),
            at=occurred_at,
            table=table,
            record_id=int(row_pk),
            action=action,
        )
        for event_id, transaction_id, occurred_at, table, row_pk, action in rows
    ]
