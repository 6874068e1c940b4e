"""Django's database sessions, read by one statement written once per process.

Every signed-in request reads its session. ``django.contrib.sessions.backends.db`` builds
the same ``SELECT ... WHERE session_key = %s AND expire_date > %s`` through the ORM each
time, which cost about as much as the query itself (bench/lists.py, "no list"). This store
runs that statement as written; everything else (saving, expiry, flushing, signing out) is
Django's own. ``SESSION_ENGINE = "core.sessions"``.
"""

from __future__ import annotations

import functools

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


@functools.cache
def _select(model, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    meta = model._meta
    data, expires, key = (
        quote(meta.get_field(name).column)
        for name in ("session_data", "expire_date", "session_key")
    )
    return (
        f"SELECT {data}, {expires} FROM {quote(meta.db_table)} "  # noqa: S608 - names quoted
        f"WHERE {key} = %s AND {expires} > %s"
    )


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        with connections[alias].cursor() as cursor:
            cursor.execute(_select(model, alias), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: an unknown or expired key starts afresh
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
