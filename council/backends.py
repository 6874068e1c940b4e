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
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
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
    record of the account's, or one the account points at) by the account's id."""

    def __init__(self, alias: str):
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
        self.tables, select, start = [], [], 0
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
        # Names from the models, quoted; the one value is a parameter.
        self.sql = (
            f"SELECT {columns} FROM {users} t0 {' '.join(joins)} "  # noqa: S608
            f"WHERE t0.{user_pk} = %s"
        )
        self.alias = alias

    def load(self, user_id):
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        user, *records = (self._instance(table, row) for table in self.tables)
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
def _statement(alias: str) -> _PersonStatement:
    return _PersonStatement(alias)


def load_person(user_id):
    """The account ``user_id`` with its officer, member and council records, or None."""
    return _statement(router.db_for_read(get_user_model())).load(user_id)


class PersonBackend(ModelBackend):
    """``ModelBackend`` (passwords, permissions, ``is_active``) whose ``get_user`` loads the
    account's officer, member and council records with it."""

    def get_user(self, user_id):
        user = load_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
