"""Tells PostgreSQL who is acting, so the audit triggers can record it.

The triggers read the ``councilcase.actor`` setting of the session writing the rows. Actor
strings: ``user:<id>``, ``token:<id>``, ``task:<name>``, ``command:<name>``; none (null) means
nobody was named: a migration, a shell, the system.

Inside a transaction the actor is set transaction-locally (``set_config(..., true)``): commit
or rollback forgets it, so it cannot leak to the next use of a persistent connection, and a
block that ends with its transaction costs one query. Outside one (a request, a Celery task)
it is set for the session and always put back when the block ends; if putting it back fails,
the connection is closed rather than left naming the wrong person.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

SETTING = "councilcase.actor"
# libpq's PQtransactionStatus, the same in psycopg2 and psycopg 3.
_IN_TRANSACTION = 2  # PQTRANS_INTRANS: idle inside a transaction block
_TRANSACTION_IN_ERROR = 3  # PQTRANS_INERROR
_KEEP = object()
_SAVEPOINT_COMMANDS = ("SAVEPOINT ", "RELEASE SAVEPOINT ", "ROLLBACK TO SAVEPOINT ")


@dataclass
class _ActorState:
    """What this process told one connection's session, and how many blocks are open."""

    session_actor: str | None = None
    open_blocks: int = 0
    pending_restore: str | None = None  # see _restore_before_next_statement
    waiting: bool = False


def _state(connection) -> _ActorState:
    state = getattr(connection, "_councilcase_audit_actor", None)
    if state is None:
        state = connection._councilcase_audit_actor = _ActorState()
    return state


def _set_config(connection, actor: str | None, *, local: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, %s)", [SETTING, actor or "", local])


def _swap_local(connection, actor: str | None) -> str:
    """Set the transaction's actor; return the one it replaces (one round trip)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.previous, set_config(%s, %s, true) "
            "FROM (SELECT current_setting(%s, true) AS previous OFFSET 0) AS p",
            [SETTING, actor or "", SETTING],
        )
        return cursor.fetchone()[0] or ""


def _in_transaction(connection) -> bool:
    # A connection not yet open is in no transaction (and is not opened to find out).
    return connection.in_atomic_block or (
        connection.connection is not None and not connection.get_autocommit()
    )


def _transaction_failed(connection) -> bool:
    info = getattr(connection.connection, "info", None)
    return connection.needs_rollback or (
        info is not None and info.transaction_status == _TRANSACTION_IN_ERROR
    )


@contextlib.contextmanager
def acting_as(actor: str | None, *, using: str = DEFAULT_DB_ALIAS):
    """Name ``actor`` as the author of every change made in the block.

    Services, Celery tasks and management commands wrap their work in it::

        with transaction.atomic(), acting_as(f"user:{by.pk}"):
            ...

    Blocks nest; leaving one puts back the actor of the enclosing block.
    """
    connection = connections[using]
    state = _state(connection)
    if actor is not _KEEP and _in_transaction(connection):
        previous = _swap_local(connection, actor)
        state.open_blocks += 1
        try:
            yield
        finally:
            state.open_blocks -= 1
            # After the transaction ended (or failed) there is nothing to put back.
            if connection.in_atomic_block and not _transaction_failed(connection):
                _restore_before_next_statement(connection, state, previous)
        return
    previous = state.session_actor
    if actor is not _KEEP and actor != previous:
        _set_config(connection, actor, local=False)
        state.session_actor = actor
    state.open_blocks += 1
    try:
        yield
    finally:
        state.open_blocks -= 1
        _restore_session(connection, state, previous)


def _restore_before_next_statement(connection, state: _ActorState, previous: str) -> None:
    """Put ``previous`` back before the transaction's next statement, if it has one.

    A service's ``with transaction.atomic(), acting_as(...)`` commits as the block ends, and
    the transaction-local setting ends with it: restoring it then would be a wasted round
    trip on every change. So the restore waits for the next statement on the connection and
    runs only if that statement is in the same transaction (the connection is still inside
    it; a new transaction has not begun before its first statement).
    """
    state.pending_restore = previous
    if not state.waiting:
        state.waiting = True
        # First, not last: Django's execute_wrapper() blocks pop the last wrapper on exit.
        connection.execute_wrappers.insert(0, _PendingRestore(state))


class _PendingRestore:
    """An execute wrapper that applies a deferred restore once, then removes itself."""

    def __init__(self, state: _ActorState):
        self.state = state

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith(_SAVEPOINT_COMMANDS):
            return execute(sql, params, many, context)  # not a statement that writes rows
        connection = context["connection"]
        connection.execute_wrappers.remove(self)
        self.state.waiting = False
        previous, self.state.pending_restore = self.state.pending_restore, None
        info = getattr(connection.connection, "info", None)
        if previous is not None and info is not None and info.transaction_status == _IN_TRANSACTION:
            _set_config(connection, previous, local=True)
        return execute(sql, params, many, context)


def actor_scope(*, using: str = DEFAULT_DB_ALIAS):
    """A block that keeps the current actor but puts back whatever set_actor() names in it."""
    return acting_as(_KEEP, using=using)


def _restore_session(connection, state: _ActorState, previous: str | None) -> None:
    if state.session_actor == previous:
        return
    try:
        if connection.connection is not None:
            _set_config(connection, previous, local=False)
        state.session_actor = previous
    except Exception:
        # The session may still name someone who is done: never hand it on.
        state.session_actor = None
        connection.close()
        raise


def set_actor(actor: str | None, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Name ``actor`` for the rest of the current transaction, or of the enclosing block.

    For code that learns who is acting part-way through, such as an API view once DRF has
    checked the token (core.audit.drf). Outside a transaction it needs an enclosing block
    (acting_as, actor_scope, or the request middleware's), which puts the previous actor back.
    """
    connection = connections[using]
    if _in_transaction(connection):
        _set_config(connection, actor, local=True)
        return
    state = _state(connection)
    if not state.open_blocks:
        raise RuntimeError(
            "set_actor() outside a transaction needs an enclosing acting_as() or "
            "actor_scope() block: the session would go on naming this actor afterwards"
        )
    if actor != state.session_actor:
        _set_config(connection, actor, local=False)
        state.session_actor = actor


def reapply_after_reconnect(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: a connection reopened inside a block (after the old
    one dropped) names the same actor again."""
    state = getattr(connection, "_councilcase_audit_actor", None)
    if state is not None and state.session_actor:
        _set_config(connection, state.session_actor, local=False)
