# ruff: noqa: S608 - this module writes SQL: identifiers are quoted, values are literals escaped.
"""The PL/pgSQL the audit triggers run: one function per audited table, generated.

Why generated: a generic function has to turn both the old and the new row into jsonb to
find what changed (``to_jsonb(row)``), which alone costs about as much as the UPDATE it audits
(a 50,000-row bulk update took 2.5x as long, 19x when the planner inlined ``to_jsonb`` into
every reference). A function written for the table compares its columns natively, converts
only the changed values to JSON and never reads excluded columns (bench/audit.py has the
figures).

Each function is ``SECURITY DEFINER`` (the application role needs no INSERT on the trail and
cannot forge events) with its search_path pinned, ``pg_temp`` last, so that a temporary table
cannot capture the insert.

While migrations run, the specialized functions are swapped for a *generic* body of the same
name that reads rows through ``to_jsonb`` and so works whatever columns the table has at that
moment (a dropped column would otherwise break every write to the table until the end of the
migrate, and an added one would go unrecorded); ``post_migrate`` writes the specialized
bodies again (core.audit.triggers).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .registry import AuditedModel

FUNCTION_PREFIX = "councilcase_audit_record_"
MAX_IDENTIFIER = 63
# PostgreSQL functions take at most 100 arguments: long column lists are built in chunks.
CHUNK = 40


@dataclass(frozen=True)
class Column:
    name: str
    # False for types without an equality operator (json, xml, geometric): compared as text.
    has_equality: bool = True


def function_name(table: str) -> str:
    name = FUNCTION_PREFIX + table
    if len(name) > MAX_IDENTIFIER:
        digest = hashlib.sha256(table.encode()).hexdigest()[:8]
        name = f"{name[: MAX_IDENTIFIER - 9]}_{digest}"
    return name


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def array_literal(values) -> str:
    return literal("{" + ",".join(json.dumps(value) for value in values) + "}") + "::text[]"


def _chunks(items, size=CHUNK):
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]


def _header(name: str, schema: str, quote_name) -> str:
    # jit off: the planner cannot know how many rows of a transition table match (it guesses
    # 12 million for a 50,000-row update) and would spend longer compiling than running.
    return (
        f"CREATE OR REPLACE FUNCTION {quote_name(name)}() RETURNS trigger\n"
        "LANGUAGE plpgsql SECURITY DEFINER\n"
        f"SET search_path = {quote_name(schema)}, pg_temp\n"
        "SET jit = off\n"
        "AS $audit$\n"
    )


# Who, when and in which transaction come from the table's column defaults
# (current_setting('councilcase.actor'), clock_timestamp(), txid_current()).
AUDIT_COLUMNS = "table_name, row_pk, council_id, action, changes"
_DECLARE = "DECLARE\n"

_TRUNCATE = f"""    ELSE
        INSERT INTO core_auditevent ({AUDIT_COLUMNS})
        VALUES (TG_TABLE_NAME, NULL, NULL, 'truncate', '{{}}'::jsonb);
    END IF;
    RETURN NULL;
END
$audit$"""


def update_difference(
    entry: AuditedModel,
    columns: list[Column],
    *,
    quote_name,
    new: str = "n",
    old: str = "o",
    indent: int = 16,
) -> str:
    """A text expression listing the changed columns as JSON object members
    (``"job_title":["Clerk","Head clerk"],"email":"changed"``), '' when nothing changed."""
    q = quote_name

    def compared(column: Column, side: str) -> str:
        value = f"{side}.{q(column.name)}"
        return value if column.has_equality else f"{value}::text"

    def difference(column: Column) -> str:
        key = json.dumps(column.name)
        changed = f"{compared(column, new)} IS DISTINCT FROM {compared(column, old)}"
        if column.name in entry.redact:
            return f"CASE WHEN {changed} THEN text {literal(key + ':' + json.dumps('changed'))} END"
        name = q(column.name)
        return (
            f"CASE WHEN {changed} THEN text {literal(key + ':')} "
            f"|| json_build_array({old}.{name}, {new}.{name})::text END"
        )

    differences = [difference(c) for c in columns if c.name not in entry.exclude]
    if not differences:
        return "''"
    separator = ",\n" + " " * indent
    chunks = _chunks(differences)
    if len(chunks) == 1:
        return f"concat_ws(','{separator}" + separator.join(differences) + ")"
    parts = [
        f"nullif(concat_ws(','{separator}" + separator.join(chunk) + "), '')" for chunk in chunks
    ]
    return "concat_ws(',', " + ", ".join(parts) + ")"


def specialized_function(
    entry: AuditedModel, columns: list[Column], *, schema: str, quote_name
) -> str:
    """The fast function for one table, written for the columns it has now: one
    INSERT ... SELECT per statement, whatever its number of rows.

    (A separate path for one-row updates, without the join, measured no faster: the fixed
    cost is the trigger's, its transition tables' and the audit row's own.)
    """
    q = quote_name
    recorded = [column for column in columns if column.name not in entry.exclude]
    pk = q(entry.pk_column)
    council = q(entry.council_column) if entry.council_column else None

    def row_values(side: str) -> str:
        plain = [c for c in recorded if c.name not in entry.redact]
        objects = [
            "jsonb_build_object("
            + ", ".join(f"{literal(c.name)}, {side}.{q(c.name)}" for c in chunk)
            + ")"
            for chunk in _chunks(plain)
        ]
        for column in recorded:
            if column.name in entry.redact:
                marker = literal(json.dumps({column.name: "set"}))
                objects.append(
                    f"CASE WHEN coalesce({side}.{q(column.name)}::text, '') <> '' "
                    f"THEN {marker}::jsonb ELSE '{{}}'::jsonb END"
                )
        return "\n                   || ".join(objects)

    def council_of(*sides: str) -> str:
        if not council:
            return "NULL::bigint"
        values = [f"{side}.{council}" for side in sides]
        return (f"coalesce({', '.join(values)})" if len(values) > 1 else values[0]) + "::bigint"

    def row_event(action: str, transition: str, side: str) -> str:
        return f"""        INSERT INTO core_auditevent ({AUDIT_COLUMNS})
        SELECT TG_TABLE_NAME, {side}.{pk}::text, {council_of(side)}, '{action}',
               {row_values(side)}
        FROM {transition} {side};
"""

    diff = update_difference(entry, columns, quote_name=q, indent=16)
    return (
        _header(function_name(entry.table), schema, quote_name)
        + _DECLARE
        + f"""BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Rows paired by primary key; only changed columns recorded, and a row whose only
        -- change was to excluded columns not at all. A FULL JOIN, so that keys changed by raw
        -- SQL are still recorded (and so that it is never planned as a nested loop).
        INSERT INTO core_auditevent ({AUDIT_COLUMNS})
        SELECT TG_TABLE_NAME,
               coalesce(n.{pk}, o.{pk})::text, {council_of("n", "o")}, 'update',
               ('{{' || d.diff || '}}')::jsonb
        FROM new_rows n
        FULL JOIN old_rows o ON o.{pk} = n.{pk}
        CROSS JOIN LATERAL (SELECT {diff} AS diff) d
        WHERE d.diff <> '';
    ELSIF TG_OP = 'INSERT' THEN
{row_event("insert", "new_rows", "n")}    ELSIF TG_OP = 'DELETE' THEN
{row_event("delete", "old_rows", "o")}"""
        + _TRUNCATE
    )


def generic_function(entry: AuditedModel, *, schema: str, quote_name) -> str:
    """The body used while migrations run: slower, but right whatever the columns are.

    ``OFFSET 0`` keeps each row's ``to_jsonb`` from being inlined into (and recomputed by)
    every expression that reads it."""
    return (
        _header(function_name(entry.table), schema, quote_name)
        + _DECLARE
        + f"""    pk_column constant text := {literal(entry.pk_column)};
    council_column constant text := {literal(entry.council_column or "")};
    excluded constant text[] := {array_literal(entry.exclude)};
    redacted constant text[] := {array_literal(entry.redact)};
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO core_auditevent ({AUDIT_COLUMNS})
        SELECT TG_TABLE_NAME, pk,
               (coalesce(n.j, o.j) ->> nullif(council_column, ''))::bigint, 'update',
               diff.changes
        FROM (SELECT s.j ->> pk_column AS pk, s.j
              FROM (SELECT to_jsonb(r) - excluded AS j FROM new_rows r OFFSET 0) s
              OFFSET 0) n
        FULL JOIN (SELECT s.j ->> pk_column AS pk, s.j
                   FROM (SELECT to_jsonb(r) - excluded AS j FROM old_rows r OFFSET 0) s
                   OFFSET 0) o USING (pk)
        CROSS JOIN LATERAL (
            SELECT jsonb_object_agg(
                       k,
                       CASE WHEN k = ANY (redacted) THEN '"changed"'::jsonb
                            ELSE jsonb_build_array(o.j -> k, n.j -> k) END
                   ) AS changes
            FROM jsonb_object_keys(coalesce(n.j, o.j)) AS k
            WHERE (o.j -> k) IS DISTINCT FROM (n.j -> k)
        ) diff
        WHERE diff.changes IS NOT NULL;
    ELSIF TG_OP = 'INSERT' OR TG_OP = 'DELETE' THEN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO core_auditevent ({AUDIT_COLUMNS})
            SELECT TG_TABLE_NAME,
                   s.j ->> pk_column, (s.j ->> nullif(council_column, ''))::bigint, 'insert',
                   (s.j - redacted) || coalesce(
                       (SELECT jsonb_object_agg(k, '"set"'::jsonb) FROM unnest(redacted) AS k
                        WHERE coalesce(s.j ->> k, '') <> ''), '{{}}'::jsonb)
            FROM (SELECT to_jsonb(r) - excluded AS j FROM new_rows r OFFSET 0) s;
        ELSE
            INSERT INTO core_auditevent ({AUDIT_COLUMNS})
            SELECT TG_TABLE_NAME,
                   s.j ->> pk_column, (s.j ->> nullif(council_column, ''))::bigint, 'delete',
                   (s.j - redacted) || coalesce(
                       (SELECT jsonb_object_agg(k, '"set"'::jsonb) FROM unnest(redacted) AS k
                        WHERE coalesce(s.j ->> k, '') <> ''), '{{}}'::jsonb)
            FROM (SELECT to_jsonb(r) - excluded AS j FROM old_rows r OFFSET 0) s;
        END IF;
"""
        + _TRUNCATE
    )
