"""Signing in and loading the signed-in account.

Every page and API call asks who the viewer is: their account, and through ``council.roles``
their officer or member record. Django's ``ModelBackend`` loads the account alone, and the
first ``officer_of``/``member_of`` then costs a query each, on every request. This backend
loads the account with both records and its council in one statement; a person with neither
record gets the reverse relation cached as missing, so ``officer_of`` still answers None
without asking the database.

The statement is written once per process from the models' own columns (``_PersonStatement``)
rather than built by the ORM on every request: building a four-table ``select_related`` was
most of the cost of an empty signed-in API call (bench/lists.py, "no list"). The rows are
turned into model instances the way the ORM does it (``Model.from_db`` after each field's
database converters); tests/council/test_backends.py holds the result equal to the ORM's,
field by field.

A signed-in request reads its session first (council.sessions): the same statement, joined
from the session's row, brings the account with it, so a page or API call asks the database
who is signed in once, not twice. Django's ``auth.get_user`` still decides whether the
session signs anyone in (backend, password-change hash, ``is_active``); it is handed the
account the session brought (``session_account``) instead of this backend reading it again.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

# The rows loaded beside the account: ``council.roles`` reads the first two on most requests,
# scoping reads the council (``core.scoping.loaded_council``). Its number of unread
# notifications (the header's badge on every page) comes in the same statement, as
# ``user.unread_notifications``.
PERSON_RELATED = ("officer", "member", "council")


@dataclass(frozen=True)
class _Table:
    model: type
    start: int  # the model's first column in the statement's row
    attnames: tuple[str, ...]
    pk_position: int
    converters: tuple[tuple[int, tuple, object], ...]  # (position, converters, column)


class _PersonStatement:
    """``SELECT`` the account and the records of ``PERSON_RELATED`` (a LEFT JOIN each: a
    record of the account's, or one the account points at) by the account's id; or, with
    ``by_session``, a live session's data and expiry date followed by its account's (all
    NULL when it has none) by the session's key."""

    def __init__(self, alias: str, *, by_session: bool = False):
        connection = connections[alias]
        quote = connection.ops.quote_name
        user_model = get_user_model()
        user_pk = quote(user_model._meta.pk.column)
        self.relations = [user_model._meta.get_field(name) for name in PERSON_RELATED]
        joins = []
        for index, relation in enumerate(self.relations, start=1):
            table = f"{quote(relation.related_model._meta.db_table)} t{index}"
            if relation.auto_created:  # the record's own key to the account (officer.user)
                on = f"t{index}.{quote(relation.field.column)} = t0.{user_pk}"
            else:  # the account's key to it (user.council)
                on = f"t{index}.{quote(relation.target_field.column)} = t0.{quote(relation.column)}"
            joins.append(f"LEFT JOIN {table} ON {on}")
        self.tables, select = [], []
        if by_session:
            session = apps.get_model("council", "Session")._meta
            data, expires, key, account = (
                quote(session.get_field(name).column)
                for name in ("session_data", "expire_date", "session_key", "user")
            )
            select += [f"s.{data}", f"s.{expires}"]
        start = len(select)
        models = [user_model, *(relation.related_model for relation in self.relations)]
        for index, model in enumerate(models):
            fields = model._meta.concrete_fields
            converters = []
            for position, field in enumerate(fields):
                column = field.get_col(f"t{index}")
                found = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if found:
                    converters.append((position, tuple(found), column))
                select.append(f"t{index}.{quote(field.column)}")
            self.tables.append(
                _Table(
                    model=model,
                    start=start,
                    attnames=tuple(field.attname for field in fields),
                    pk_position=list(fields).index(model._meta.pk),
                    converters=tuple(converters),
                )
            )
            start += len(fields)
        # The header's badge, counted in the same statement (core.notifications.selectors).
        notification = apps.get_model("notifications", "Notification")._meta
        notifications = quote(notification.db_table)
        recipient = quote(notification.get_field("recipient").column)
        read_at = quote(notification.get_field("read_at").column)
        select.append(
            f"(SELECT count(*) FROM {notifications} n "  # noqa: S608 - names quoted
            f"WHERE n.{recipient} = t0.{user_pk} AND n.{read_at} IS NULL)"
        )
        columns, users = ", ".join(select), quote(user_model._meta.db_table)
        if by_session:
            source = (
                f"{quote(session.db_table)} s LEFT JOIN {users} t0 ON t0.{user_pk} = s.{account}"
            )
            conditions = [f"s.{key} = {{}}", f"s.{expires} > {{}}"]
        else:
            source, conditions = f"{users} t0", [f"t0.{user_pk} = {{}}"]

        def written(placeholders) -> str:
            where = " AND ".join(map(str.format, conditions, placeholders))
            # Names from the models, quoted; the values are parameters.
            return f"SELECT {columns} FROM {source} {' '.join(joins)} WHERE {where}"  # noqa: S608

        self.sql = written(["%s"] * len(conditions))
        self.alias = alias
        # The session's statement runs on every signed-in request, and planning its five-table
        # join took most of its time (0.64 ms of 0.7 ms): it is prepared once per database
        # connection (see fetch).
        self.name = "councilcase_session_account" if by_session else None
        self.prepare_sql = written([f"${n}" for n in range(1, len(conditions) + 1)])
        self.execute_sql = f"EXECUTE {self.name}({', '.join(['%s'] * len(conditions))})"

    def fetch(self, params) -> tuple | None:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            prepared = self.name is not None and self._prepared(connection)
            cursor.execute(self.execute_sql if prepared else self.sql, params)
            return cursor.fetchone()

    def _prepared(self, connection) -> bool:
        """Whether the statement is prepared on ``connection``'s database session, preparing it
        the first time (PostgreSQL keeps it until the session ends, through rollbacks). Done
        on the driver's own cursor, as Django sets up a connection: once per connection, it is
        not one of a request's queries. Off with ``COUNCILCASE_PREPARED_STATEMENTS=false``,
        for a pooler that hands each transaction another server session (PgBouncer's
        transaction mode)."""
        if not settings.PREPARED_STATEMENTS or connection.vendor != "postgresql":
            return False
        raw = connection.connection
        if getattr(connection, "_councilcase_prepared_on", None) is raw:
            return True
        with raw.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [self.name])
            if cursor.fetchone() is None:
                cursor.execute(f"PREPARE {self.name} AS {self.prepare_sql}")
        connection._councilcase_prepared_on = raw
        return True

    def load(self, user_id):
        row = self.fetch([user_id])
        return None if row is None else self.account(row)

    def account(self, row):
        """The account of a fetched row with its records (None for a session without one)."""
        user, *records = (self._instance(table, row) for table in self.tables)
        if user is None:
            return None
        for relation, record in zip(self.relations, records, strict=True):
            # Cached even when missing (None): the accessor then answers without a query
            # (DoesNotExist for a missing record), as after select_related.
            relation.set_cached_value(user, record)
            if relation.auto_created and record is not None:
                relation.field.set_cached_value(record, user)  # officer.user
        user.unread_notifications = row[-1]
        return user

    def _instance(self, table: _Table, row):
        values = list(row[table.start : table.start + len(table.attnames)])
        if values[table.pk_position] is None:
            return None  # no such record (LEFT JOIN)
        connection = connections[self.alias]
        for position, converters, column in table.converters:
            value = values[position]
            for convert in converters:
                value = convert(value, column, connection)
            values[position] = value
        return table.model.from_db(self.alias, table.attnames, values)


@functools.cache
def statement(alias: str, *, by_session: bool = False) -> _PersonStatement:
    return _PersonStatement(alias, by_session=by_session)


def load_person(user_id):
    """The account ``user_id`` with its officer, member and council records, or None."""
    return statement(router.db_for_read(get_user_model())).load(user_id)


# The account the request's session was read with, while Django's auth.get_user runs.
_session_account = contextvars.ContextVar("session_account", default=None)


@contextlib.contextmanager
def session_account(session):
    """Hand ``PersonBackend.get_user`` the account ``session`` (council.sessions) was read
    with, for the duration of the block: Django's ``auth.get_user(request)`` in
    council.middleware. Outside such a block the backend reads the account itself."""
    session.get(SESSION_KEY)  # reads the session, and its account, if not read yet
    token = _session_account.set(getattr(session, "account", None))
    try:
        yield
    finally:
        _session_account.reset(token)


class PersonBackend(ModelBackend):
    """``ModelBackend`` (passwords, permissions, ``is_active``) whose ``get_user`` loads the
    account's officer, member and council records with it."""

    def get_user(self, user_id):
        user = _session_account.get()
        if user is None or str(user.pk) != str(user_id):
            user = load_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
