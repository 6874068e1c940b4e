"""Installs the audit triggers on every registered model's table, after every ``migrate``.

Each audited table gets its own trigger function (core.audit.sql) and four statement-level
triggers calling it: AFTER INSERT / UPDATE / DELETE with the statement's transition tables
(``new_rows``, ``old_rows``), and AFTER TRUNCATE. One call per statement, whatever the number
of rows: a 50,000-row bulk update writes its audit rows with one INSERT ... SELECT.

Functions and triggers carry a comment with a digest of their definition, so a ``migrate``
that changes nothing runs a few catalogue queries and no DDL (no locks on busy tables); a
changed definition is applied with CREATE OR REPLACE (no moment without a trigger); a trigger
found disabled is re-enabled, loudly; those of models no longer registered are dropped.

``pre_migrate`` (only when there are migrations to apply) swaps every function for its generic
body, which works whatever columns the table has while the migrations change them;
``post_migrate`` writes the specialized bodies back.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from . import sql
from .registry import registered

logger = logging.getLogger(__name__)

TRIGGER_PREFIX = "councilcase_audit_"
# (name suffix, timing and event, transition tables)
EVENTS = (
    ("insert", "AFTER INSERT", "REFERENCING NEW TABLE AS new_rows"),
    ("update", "AFTER UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("delete", "AFTER DELETE", "REFERENCING OLD TABLE AS old_rows"),
    ("truncate", "AFTER TRUNCATE", ""),
)
GENERIC = "generic"

_COLUMNS = """
SELECT c.relname, a.attname,
       EXISTS (SELECT 1 FROM pg_operator op
               WHERE op.oprname = '=' AND op.oprleft = a.atttypid
                 AND op.oprright = a.atttypid)
       OR t.typcategory IN ('A', 'E')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
  AND c.relname = ANY (%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum
"""

_FUNCTIONS = """
SELECT p.proname, obj_description(p.oid, 'pg_proc')
FROM pg_proc p
WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE %s
"""

_TRIGGERS = """
SELECT c.relname, t.tgname, t.tgenabled, obj_description(t.oid, 'pg_trigger')
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
  AND p.proname LIKE %s
"""


def _digest(definition: str, kind: str = "") -> str:
    return f"councilcase audit {kind}{hashlib.sha256(definition.encode()).hexdigest()[:16]}"


def trigger_definitions(table: str, quote_name) -> dict[str, str]:
    """``{trigger name: CREATE OR REPLACE TRIGGER ...}`` for one audited table."""
    function = quote_name(sql.function_name(table))
    return {
        TRIGGER_PREFIX + suffix: (
            f"CREATE OR REPLACE TRIGGER {quote_name(TRIGGER_PREFIX + suffix)} {event} "
            f"ON {quote_name(table)} {transition} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {function}()"
        )
        for suffix, event, transition in EVENTS
    }


def _like_prefix() -> str:
    return sql.FUNCTION_PREFIX.replace("_", r"\_") + "%"


def _catalogue(cursor, tables):
    """Columns of the audited tables, and the audit functions and triggers that exist."""
    cursor.execute("SELECT to_regclass('core_auditevent') IS NOT NULL, current_schema()")
    ready, schema = cursor.fetchone()
    if not ready:
        return None
    cursor.execute(_COLUMNS, [list(tables)])
    columns = defaultdict(list)
    for table, name, has_equality in cursor.fetchall():
        columns[table].append(sql.Column(name, has_equality))
    cursor.execute(_FUNCTIONS, [_like_prefix()])
    functions = dict(cursor.fetchall())
    cursor.execute(_TRIGGERS, [_like_prefix()])
    triggers = {(table, name): (enabled, comment) for table, name, enabled, comment in cursor}
    return schema, columns, functions, triggers


def install_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate``: bring the audit functions and triggers in line with the registry."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    q = connection.ops.quote_name
    entries = registered()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        catalogue = _catalogue(cursor, {entry.table for entry in entries})
        if catalogue is None:
            logger.warning("Audit triggers not installed: the core migrations have not run.")
            return
        schema, columns, functions, triggers = catalogue
        wanted_functions, wanted_triggers = set(), set()
        for entry in entries:
            if entry.table not in columns:
                continue  # not created yet (a partial migrate): installed next time
            name = sql.function_name(entry.table)
            wanted_functions.add(name)
            definition = sql.specialized_function(
                entry, columns[entry.table], schema=schema, quote_name=q
            )
            if functions.get(name) != _digest(definition):
                cursor.execute(definition)
                cursor.execute(f"COMMENT ON FUNCTION {q(name)}() IS %s", [_digest(definition)])
                cursor.execute(f"REVOKE ALL ON FUNCTION {q(name)}() FROM PUBLIC")
            for trigger, definition in trigger_definitions(entry.table, q).items():
                wanted_triggers.add((entry.table, trigger))
                enabled, comment = triggers.get((entry.table, trigger), (None, None))
                if comment != _digest(definition):
                    cursor.execute(definition)
                    cursor.execute(
                        f"COMMENT ON TRIGGER {q(trigger)} ON {q(entry.table)} IS %s",
                        [_digest(definition)],
                    )
                if enabled == "D":
                    logger.error(
                        "Audit trigger %s on %s was disabled: enabled again", trigger, entry.table
                    )
                    cursor.execute(f"ALTER TABLE {q(entry.table)} ENABLE TRIGGER {q(trigger)}")
        for table, trigger in triggers.keys() - wanted_triggers:
            cursor.execute(f"DROP TRIGGER {q(trigger)} ON {q(table)}")
        for name in functions.keys() - wanted_functions:
            cursor.execute(f"DROP FUNCTION {q(name)}()")


def use_generic_functions(using: str = DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """``pre_migrate``: while migrations change tables, audit them with the generic body."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not plan:
        return
    q = connection.ops.quote_name
    entries = registered()
    with transaction.atomic(using=using), connection.cursor() as cursor:
        catalogue = _catalogue(cursor, set())
        if catalogue is None:
            return
        schema, _columns, functions, _triggers = catalogue
        for entry in entries:
            name = sql.function_name(entry.table)
            if name not in functions:
                continue
            definition = sql.generic_function(entry, schema=schema, quote_name=q)
            if functions[name] != _digest(definition, GENERIC):
                cursor.execute(definition)
                cursor.execute(
                    f"COMMENT ON FUNCTION {q(name)}() IS %s", [_digest(definition, GENERIC)]
                )
