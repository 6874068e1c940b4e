"""What the audit trail costs a write: with its triggers vs without, measured in the same run.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/audit.py

Targets (the audit issue): one change with its audit row at most 1.3x the same change
without; a bulk UPDATE of 50,000 rows at most 1.5x. The baseline is the same table with the
audit trigger disabled (ALTER TABLE ... DISABLE TRIGGER); modes are interleaved round by round
and medians taken. A per-row trigger doing the same work is measured for comparison: it is
what statement-level triggers with transition tables are chosen over.

Runs against the throwaway PostgreSQL that scripts/with_services.py starts (DATABASE_URL),
migrating it first; it refuses a database that already holds officers.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "false"  # no query logging in the timed loops
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from core.audit import acting_as, sql  # noqa: E402
from core.audit.registry import audited  # noqa: E402
from council.models import Council, Officer  # noqa: E402

ROWS = 50_000
SINGLE_ROUNDS, SINGLE_PER_ROUND = 16, 150
BULK_ROUNDS = 9
STATEMENT_TRIGGER = "councilcase_audit_update"
ROW_TRIGGER = "bench_audit_row_update"


def row_trigger_sql() -> str:
    """A FOR EACH ROW trigger doing the same work as the statement-level one (the same
    generated column comparison), for comparison only."""
    entry = audited(Officer)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'council_officer'::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
        )
        columns = [sql.Column(name) for (name,) in cursor.fetchall()]
    diff = sql.update_difference(
        entry, columns, quote_name=connection.ops.quote_name, new="NEW", old="OLD"
    )
    return f"""
CREATE OR REPLACE FUNCTION bench_audit_record_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    diff text := {diff};
BEGIN
    IF diff <> '' THEN
        INSERT INTO core_auditevent ({sql.AUDIT_COLUMNS})
        VALUES (TG_TABLE_NAME, NEW.id::text, NEW.council_id, 'update',
                ('{{' || diff || '}}')::jsonb);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER {ROW_TRIGGER} AFTER UPDATE ON council_officer FOR EACH ROW
    EXECUTE FUNCTION bench_audit_record_row();
ALTER TABLE council_officer DISABLE TRIGGER {ROW_TRIGGER};
"""


MODES = {  # mode: (statement trigger on, row trigger on)
    "without audit": (False, False),
    "statement trigger": (True, False),
    "per-row trigger": (False, True),
}


def execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def set_mode(mode):
    statement_on, row_on = MODES[mode]
    execute(
        f"ALTER TABLE council_officer {'ENABLE' if statement_on else 'DISABLE'} "
        f"TRIGGER {STATEMENT_TRIGGER}"
    )
    execute(
        f"ALTER TABLE council_officer {'ENABLE' if row_on else 'DISABLE'} TRIGGER {ROW_TRIGGER}"
    )


def prepare():
    call_command("migrate", verbosity=0, interactive=False)
    if Officer.objects.exists():
        sys.exit("bench/audit.py wants a fresh database (run it through scripts/with_services.py)")
    council = Council.objects.create(slug="bench", name="Bench District")
    execute(
        """
        INSERT INTO council_officer
            (version, created_at, updated_at, council_id, employee_number, full_name, email,
             job_title, seniority, teams, politically_restricted, active)
        SELECT 1, now(), now(), %s, 'E' || n, 'Officer ' || n, 'officer' || n || '@bench.test',
               'Officer', 'officer', '{}', false, true
        FROM generate_series(1, %s) AS n
        """,
        [council.pk, ROWS],
    )
    execute(row_trigger_sql())
    execute("VACUUM ANALYZE council_officer")
    execute("VACUUM ANALYZE core_auditevent")
    return list(Officer.objects.order_by("pk").values_list("pk", flat=True))


def rotate(modes, round_number):
    shift = round_number % len(modes)
    return modes[shift:] + modes[:shift]


def service_change(pk, title, *, audited):
    """What a service does to change one record (council/services.py): a transaction, the
    actor named (only where audited: naming it is part of the audit's cost), the row locked,
    the change saved."""
    with transaction.atomic(), acting_as("user:1") if audited else nullcontext():
        officer = Officer.objects.select_for_update().get(pk=pk)
        officer.job_title = title
        officer.save(update_fields=["job_title", "updated_at"])


def bench_single_row(pks, modes):
    """Single-row changes, each its own transaction: a raw UPDATE in autocommit, the ORM's
    .update(), and a service-shaped change."""
    raw = {mode: [] for mode in modes}
    orm = {mode: [] for mode in modes}
    service = {mode: [] for mode in modes}
    cursor = connection.cursor()
    sql = "UPDATE council_officer SET job_title = %s WHERE id = %s"
    step = 0
    for round_number in range(SINGLE_ROUNDS):
        for mode in rotate(modes, round_number):
            set_mode(mode)
            for _ in range(SINGLE_PER_ROUND):
                step += 1
                pk = pks[(step * 7919) % len(pks)]
                started = time.perf_counter()
                cursor.execute(sql, [f"Clerk {step}", pk])
                raw[mode].append(time.perf_counter() - started)
                step += 1
                pk = pks[(step * 7919) % len(pks)]
                started = time.perf_counter()
                Officer.objects.filter(pk=pk).update(job_title=f"Clerk {step}")
                orm[mode].append(time.perf_counter() - started)
                step += 1
                pk = pks[(step * 7919) % len(pks)]
                started = time.perf_counter()
                service_change(pk, f"Clerk {step}", audited=mode != "without audit")
                service[mode].append(time.perf_counter() - started)
    cursor.close()
    return raw, orm, service


def bench_bulk(modes, *, vacuum):
    """UPDATE of all 50,000 rows in one statement (one transaction).

    With ``vacuum`` the table is vacuumed before each run, so the baseline's row versions fit
    in the freed space (HOT updates, no index entries): the cheapest baseline, the strictest
    ratio. Without, each run follows the last one's dead rows, as a bulk change on a busy
    table does before autovacuum gets to it: every officer index is updated too.
    """
    timings = {mode: [] for mode in modes}
    for round_number in range(BULK_ROUNDS):
        for mode in rotate(modes, round_number):
            set_mode(mode)
            if vacuum:
                execute("VACUUM council_officer")
            started = time.perf_counter()
            execute(
                "UPDATE council_officer SET job_title = %s",
                [f"Title {round_number} {mode}"],
            )
            timings[mode].append(time.perf_counter() - started)
    execute("VACUUM council_officer")
    return timings


def report(title, timings, unit, scale, target):
    base = statistics.median(timings["without audit"])
    print(f"\n{title}")
    for mode, values in timings.items():
        median = statistics.median(values)
        line = f"  {mode:<18} median {median * scale:9.1f} {unit}   ratio {median / base:5.2f}x"
        if mode == "statement trigger":
            line += f"   (target <= {target}x: {'met' if median / base <= target else 'MISSED'})"
        print(line)


def main():
    with acting_as("command:bench"):
        pks = prepare()
        modes = list(MODES)
        print(f"PostgreSQL {connection.pg_version}, {ROWS:,} officers")
        raw, orm, service = bench_single_row(pks, modes)
        bulk_vacuumed = bench_bulk(modes, vacuum=True)
        bulk_churned = bench_bulk(modes, vacuum=False)
        set_mode("statement trigger")
    report(
        f"Single-row UPDATE, raw SQL, autocommit ({SINGLE_ROUNDS * SINGLE_PER_ROUND} each)",
        raw,
        "us",
        1e6,
        1.3,
    )
    report(
        f"Single-row .update() through the ORM ({SINGLE_ROUNDS * SINGLE_PER_ROUND} each)",
        orm,
        "us",
        1e6,
        1.3,
    )
    report(
        f"Single-row change as a service makes it: atomic, acting_as, select_for_update, save "
        f"({SINGLE_ROUNDS * SINGLE_PER_ROUND} each)",
        service,
        "us",
        1e6,
        1.3,
    )
    report(
        f"Bulk UPDATE of {ROWS:,} rows, table vacuumed before each ({BULK_ROUNDS} each)",
        bulk_vacuumed,
        "ms",
        1e3,
        1.5,
    )
    report(
        f"Bulk UPDATE of {ROWS:,} rows, no vacuum between runs ({BULK_ROUNDS} each)",
        bulk_churned,
        "ms",
        1e3,
        1.5,
    )


if __name__ == "__main__":
    main()
