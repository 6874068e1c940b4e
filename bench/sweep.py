"""What the deadline sweep costs, against the raw-SQL floor and a per-row ORM loop, in one run.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/sweep.py \
        [--sizes 100000,1000000] [--rounds 3] [--sample 2000] [--explain]

For each size N: N open enquiries of one council, 5% of them due as at Monday 23 November 2026
09:00 UTC, in equal thirds: a reminder (due the next working day; 1 notice), overdue but not
yet escalating (2 notices: assignee, line manager) and overdue past the council's
escalation threshold (escalated to the directorate's director, a timeline entry, 4 notices).
The rest are due later. Rows are generated with INSERT ... SELECT generate_series.

Timed, interleaved round by round (median of ``--rounds``), state restored between runs:

- the sweep: ``complaints.sweep.sweep_deadlines(now=...)`` as the code has it, including the
  hand-off of its new notifications to Celery after commit (one message naming the time it
  stamped them with, published to the throwaway Redis; reported separately as "of which
  enqueue");
- the floor: one raw SQL statement that finds the same rows and makes the same writes (the
  escalations, their timeline entries, every notification with the same dedupe keys), with
  no locking, no ON CONFLICT and no enqueueing;
- a per-row ORM loop (what peer ticketing systems do: for each due enquiry, a transaction,
  get_or_create per notification, select_for_update + save + create for an escalation),
  timed on a sample of ``--sample`` due enquiries and scaled to all of them (said so below).

Also: a sweep with nothing due (as at 30 days earlier; its ratio to the full sweep), a second
sweep right after a full one (everything already done), and two and four sweeps started at
once (threads, each its own connection), with notices per due notice: exactly 1.000.

Exits 1 on a correctness failure (a notice missing or duplicated, an escalation not exactly
once); a missed aim prints "MISSED AIM" and does not change the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    UTC,
    Org,
    execute,
    explain,
    fmt,
    insert_enquiries,
    median,
    migrate_fresh,
    rotate,
    scalar,
    timed,
)
from django.db import connection, connections, transaction

import core.notifications.services as notification_services
from complaints import sweep
from complaints.choices import AWAITING_RESPONSE_STATUSES
from complaints.models import Enquiry, EnquiryEvent
from core.audit import acting_as
from core.notifications.models import Notification
from council.calendar import calendar_for

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
NOTHING_DUE_AT = NOW - datetime.timedelta(days=30)
FLOOR_AIM, LOOP_AIM = 1.2, 75.0
DUE_PERCENT = 5
NOTICES = {"reminder": 1, "overdue": 2, "escalate": 4}

failures: list[str] = []


# Instrumentation only: the sweep and the loop still publish; this records how long it took.
enqueue_seconds = threading.local()


def _timed(original):
    def timed_enqueue(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            enqueue_seconds.value = getattr(enqueue_seconds, "value", 0.0) + (
                time.perf_counter() - started
            )

    return timed_enqueue


# The sweep's one message for its rows, and the loop's message per notification.
notification_services._enqueue_written_at = _timed(notification_services._enqueue_written_at)
notification_services.enqueue_delivery = _timed(notification_services.enqueue_delivery)


class Dates:
    """The due dates of each category, placed with the council's own calendar."""

    def __init__(self, org):
        parameters = sweep._parameters(NOW)
        calendar = calendar_for(org.council)
        self.today = parameters["todays"][0]
        self.remind_until = parameters["remind_untils"][0]
        self.escalate_by = parameters["escalate_bys"][0]
        self.escalate_days = parameters["escalate_days"][0]
        overdue = self.today - datetime.timedelta(days=1)
        while not calendar.is_working_day(overdue):
            overdue -= datetime.timedelta(days=1)
        assert self.escalate_by < overdue < self.today, (self.escalate_by, overdue)
        self.overdue = overdue


def generate(org, dates, rows):
    insert_enquiries(
        org,
        rows=rows,
        select="""
        SELECT n, 'received' AS status, due, due AS first_due, due + 14 AS full_due,
               least(due - 14, %(today)s - 1)::timestamptz + interval '10 hours' AS received,
               NULL::timestamptz AS answered, NULL::timestamptz AS closed
        FROM (
            SELECT n, CASE
                WHEN n %% 100 >= %(due_percent)s THEN %(remind_until)s::date + 1 + (n %% 90)
                WHEN (n / 100) %% 3 = 0 THEN %(remind_until)s::date
                WHEN (n / 100) %% 3 = 1 THEN %(overdue)s::date
                ELSE %(escalate_by)s::date - (n / 300) %% 10
            END AS due
            FROM generate_series(1, %(rows)s) AS n
        ) AS s
        """,
        params={
            "today": dates.today,
            "remind_until": dates.remind_until,
            "overdue": dates.overdue,
            "escalate_by": dates.escalate_by,
            "due_percent": DUE_PERCENT,
        },
    )


class Expected:
    def __init__(self, dates):
        counts = dict.fromkeys(NOTICES, 0)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT CASE WHEN response_due = %s THEN 'reminder'
                            WHEN response_due = %s THEN 'overdue'
                            ELSE 'escalate' END, count(*)
                FROM complaints_enquiry WHERE response_due <= %s GROUP BY 1
                """,
                [dates.remind_until, dates.overdue, dates.remind_until],
            )
            counts.update(dict(cursor.fetchall()))
        self.cases = counts
        self.due = sum(counts.values())
        self.escalated = counts["escalate"]
        self.notices = sum(NOTICES[kind] * n for kind, n in counts.items())


def check(label, expected, dates) -> float:
    """Every due enquiry told exactly what it should be, each escalation once. Returns
    notices written / notices due."""
    notices = scalar("SELECT count(*) FROM notifications_notification")
    distinct = scalar(
        "SELECT count(DISTINCT (resource_id, kind, recipient_id)) FROM notifications_notification"
    )
    wrong = scalar(
        """
        SELECT count(*) FROM complaints_enquiry AS e
        LEFT JOIN (SELECT resource_id, count(*) AS c FROM notifications_notification
                   GROUP BY resource_id) AS n ON n.resource_id = e.id
        WHERE coalesce(n.c, 0) <> CASE WHEN e.response_due = %s THEN 1
                                       WHEN e.response_due = %s THEN 2
                                       WHEN e.response_due <= %s THEN 4 ELSE 0 END
        """,
        [dates.remind_until, dates.overdue, dates.escalate_by],
    )
    escalated = scalar("SELECT count(*) FROM complaints_enquiry WHERE escalation_level > 0")
    twice = scalar("SELECT count(*) FROM complaints_enquiry WHERE escalation_level > 1")
    events = scalar("SELECT count(*) FROM complaints_enquiryevent WHERE action = 'escalated'")
    problems = []
    if notices != expected.notices or distinct != notices or wrong:
        problems.append(
            f"{notices} notices ({distinct} distinct), {expected.notices} due; "
            f"{wrong} enquiries told the wrong number of times"
        )
    if escalated != expected.escalated or twice or events != expected.escalated:
        problems.append(
            f"{escalated} escalated ({twice} twice), {events} timeline entries, "
            f"{expected.escalated} due"
        )
    for problem in problems:
        failures.append(f"{label}: {problem}")
        print(f"  CORRECTNESS FAILURE ({label}): {problem}")
    return notices / expected.notices if expected.notices else 1.0


def reset():
    """Back to the generated state: nothing escalated, nobody told, Redis empty."""
    with transaction.atomic(), acting_as("command:bench"):
        execute(
            """
            UPDATE complaints_enquiry
            SET status = 'received', escalation_level = 0, escalated_at = NULL,
                escalated_to = '', version = 1, updated_at = created_at
            WHERE escalation_level > 0
            """
        )
        execute("TRUNCATE complaints_enquiryevent, notifications_notification")
    # The audit trail's rows of the run; a tree without it, or refusing, keeps them.
    with contextlib.suppress(Exception):
        execute("TRUNCATE core_auditevent")
    execute("VACUUM ANALYZE complaints_enquiry")
    execute("VACUUM ANALYZE complaints_enquiryevent")
    execute("VACUUM ANALYZE notifications_notification")
    _redis().flushdb()


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"])


FLOOR_SQL = """
WITH escalated AS (
    UPDATE complaints_enquiry
    SET status = 'escalated', escalation_level = escalation_level + 1, escalated_at = %(now)s,
        escalated_to = 'director', version = version + 1, updated_at = %(now)s
    WHERE council_id = %(council)s AND status IN %(awaiting)s
      AND response_due <= %(escalate_by)s AND escalation_level = 0
    RETURNING id, council_id, reference, directorate_id, assigned_officer_id,
              escalation_level, response_due
),
events AS (
    INSERT INTO complaints_enquiryevent (enquiry_id, council_id, at, by_id, actor, action,
                                         note, detail)
    SELECT e.id, e.council_id, %(now)s, NULL, 'task:sweep', 'escalated',
           'Escalated automatically: the response is overdue.',
           jsonb_build_object('to', 'director', 'director', d.director_id,
                              'level', e.escalation_level, 'by_member', false,
                              'due', to_char(e.response_due, 'YYYY-MM-DD'),
                              'working_days_overdue_at_least', %(escalate_days)s)
    FROM escalated AS e LEFT JOIN council_directorate AS d ON d.id = e.directorate_id
),
due AS (
    SELECT id, council_id, reference, response_due, assigned_officer_id,
           CASE WHEN response_due = first_response_due
                THEN 'first_response' ELSE 'full_response' END AS clock,
           response_due < %(today)s AS overdue
    FROM complaints_enquiry
    WHERE council_id = %(council)s AND status IN %(awaiting)s
      AND response_due <= %(remind_until)s AND assigned_officer_id IS NOT NULL
)
INSERT INTO notifications_notification
    (council_id, recipient_id, kind, subject, resource_type, resource_id, created_at,
     dedupe_key, email_attempts, email_last_error)
SELECT council_id, user_id, kind, subject, 'enquiry', id, %(now)s, key || user_id, 0, ''
FROM (
    SELECT due.council_id, o.user_id, CASE WHEN due.overdue THEN 'overdue' ELSE 'reminder' END
               AS kind,
           'Enquiry ' || due.reference || CASE WHEN due.overdue
               THEN ': response overdue, was due ' ELSE ': response due ' END
               || to_char(due.response_due, 'FMDD Mon YYYY') AS subject, due.id,
           'enquiry:' || due.id || ':' || CASE WHEN due.overdue THEN 'overdue' ELSE 'reminder'
               END || ':' || due.clock || ':' || to_char(due.response_due, 'YYYY-MM-DD')
               || ':user:' AS key
    FROM due JOIN council_officer AS o ON o.id = due.assigned_officer_id
    UNION ALL
    SELECT due.council_id, m.user_id, 'overdue',
           'Enquiry ' || due.reference || ': response overdue, was due '
               || to_char(due.response_due, 'FMDD Mon YYYY'), due.id,
           'enquiry:' || due.id || ':overdue:' || due.clock || ':'
               || to_char(due.response_due, 'YYYY-MM-DD') || ':user:'
    FROM due JOIN council_officer AS o ON o.id = due.assigned_officer_id
    JOIN council_officer AS m ON m.id = o.line_manager_id
    WHERE due.overdue AND m.active
    UNION ALL
    SELECT e.council_id, who.user_id, 'escalated',
           'Enquiry ' || e.reference || ' has been escalated', e.id,
           'enquiry:' || e.id || ':escalated:' || e.escalation_level || ':user:'
    FROM escalated AS e
    JOIN council_directorate AS d ON d.id = e.directorate_id
    JOIN council_officer AS director ON director.id = d.director_id
    JOIN council_officer AS o ON o.id = e.assigned_officer_id
    CROSS JOIN LATERAL (VALUES (director.user_id), (o.user_id)) AS who (user_id)
) AS told
WHERE user_id IS NOT NULL
"""


def floor(org, dates):
    with transaction.atomic(), acting_as("task:sweep"):
        execute(FLOOR_SQL, floor_params(org, dates))


def floor_params(org, dates):
    return {
        "now": NOW,
        "council": org.council.pk,
        "awaiting": tuple(sorted(AWAITING_RESPONSE_STATUSES)),
        "escalate_by": dates.escalate_by,
        "remind_until": dates.remind_until,
        "today": dates.today,
        "escalate_days": dates.escalate_days,
    }


def run_sweep(now=NOW):
    enqueue_seconds.value = 0.0
    seconds, result = timed(lambda: sweep.sweep_deadlines(now=now))
    return seconds, enqueue_seconds.value, result


def per_row_loop(dates, sample_ids):
    """For each due enquiry, what a ticketing system's per-row job does."""
    awaiting = sorted(AWAITING_RESPONSE_STATUSES)
    due = (
        Enquiry.objects.filter(
            pk__in=sample_ids,
            status__in=awaiting,
            response_due__lte=dates.remind_until,
            assigned_officer__isnull=False,
        )
        .select_related("assigned_officer__line_manager", "directorate__director")
        .order_by("pk")
    )

    def tell(enquiry, user_id, kind, key, subject):
        if user_id is None:
            return
        notification, created = Notification.objects.get_or_create(
            dedupe_key=f"{key}:user:{user_id}",
            defaults={
                "council_id": enquiry.council_id,
                "recipient_id": user_id,
                "kind": kind,
                "subject": subject,
                "resource_type": "enquiry",
                "resource_id": enquiry.pk,
                "created_at": NOW,
            },
        )
        if created:  # handed to Celery after commit, as the sweep does
            notification_services.enqueue_after_commit([notification.pk])

    for enquiry in due:
        with transaction.atomic(), acting_as("task:sweep"):
            officer = enquiry.assigned_officer
            clock = enquiry.clock or "first_response"
            day = enquiry.response_due
            overdue = day < dates.today
            if day <= dates.escalate_by and enquiry.escalation_level == 0:
                locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
                if locked.escalation_level == 0:
                    locked.status = "escalated"
                    locked.escalation_level = 1
                    locked.escalated_at = NOW
                    locked.escalated_to = "director"
                    locked.save()
                    director = enquiry.directorate.director
                    EnquiryEvent.objects.create(
                        enquiry=locked,
                        council_id=locked.council_id,
                        at=NOW,
                        actor="task:sweep",
                        action="escalated",
                        note=sweep.ESCALATION_NOTE,
                        detail={"to": "director", "director": director.pk, "level": 1},
                    )
                    key = f"enquiry:{enquiry.pk}:escalated:1"
                    subject = f"Enquiry {enquiry.reference} has been escalated"
                    for user_id in {director.user_id, officer.user_id}:
                        tell(enquiry, user_id, "escalated", key, subject)
            kind = "overdue" if overdue else "reminder"
            key = f"enquiry:{enquiry.pk}:{kind}:{clock}:{day:%Y-%m-%d}"
            subject = f"Enquiry {enquiry.reference}: response {kind} {day:%d %b %Y}"
            tell(enquiry, officer.user_id, kind, key, subject)
            if overdue and officer.line_manager and officer.line_manager.active:
                tell(enquiry, officer.line_manager.user_id, kind, key, subject)


def concurrent_sweeps(count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(sweep.sweep_deadlines(now=NOW))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results, errors


def bench_size(rows, args):
    execute("TRUNCATE complaints_enquiry CASCADE")
    org = bench_size.org
    dates = Dates(org)
    started = time.perf_counter()
    generate(org, dates, rows)
    expected = Expected(dates)
    print(
        f"\n== {rows:,} open enquiries, {expected.due:,} due ({DUE_PERCENT}%): "
        f"{expected.cases['reminder']:,} reminders, {expected.cases['overdue']:,} overdue, "
        f"{expected.cases['escalate']:,} to escalate; {expected.notices:,} notices due "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    print(
        f"   as at {NOW:%a %d %b %Y %H:%M} UTC: remind until {dates.remind_until}, overdue "
        f"{dates.overdue}, escalate due on or before {dates.escalate_by}"
    )
    reset()

    sweep_times, enqueue_times, floor_times, second_times = [], [], [], []
    for round_number in range(args.rounds):
        for mode in rotate(["sweep", "floor"], round_number):
            if mode == "sweep":
                seconds, enqueue, result = run_sweep()
                ratio = check("sweep", expected, dates)
                if result.notifications != expected.notices or ratio != 1:
                    failures.append(f"sweep returned {result.notifications} notifications")
                sweep_times.append(seconds)
                enqueue_times.append(enqueue)
                seconds, _, result = run_sweep(NOW + datetime.timedelta(minutes=5))
                second_times.append(seconds)
                if result.notifications or result.escalated:
                    failures.append(f"a second sweep wrote {result}")
                check("second sweep", expected, dates)
            else:
                seconds, _ = timed(lambda: floor(org, dates))
                check("floor", expected, dates)
                floor_times.append(seconds)
            reset()

    nothing_times = [run_sweep(NOTHING_DUE_AT)[0] for _ in range(max(9, args.rounds))]
    if scalar("SELECT count(*) FROM notifications_notification"):
        failures.append("a sweep with nothing due wrote notifications")

    sample_ids = [
        pk
        for (pk,) in Enquiry.objects.filter(response_due__lte=dates.remind_until)
        .order_by("pk")
        .values_list("pk")[: args.sample]
    ]
    enqueue_seconds.value = 0.0
    loop_sample_seconds, _ = timed(lambda: per_row_loop(dates, sample_ids))
    loop_enqueue_seconds = enqueue_seconds.value * expected.due / len(sample_ids)
    loop_seconds = loop_sample_seconds * expected.due / len(sample_ids)
    sample_notices = scalar("SELECT count(*) FROM notifications_notification")
    reset()

    concurrency = {}
    for count in (2, 4):
        seconds, results, errors = concurrent_sweeps(count)
        if errors:
            failures.append(f"{count} sweeps at once raised {errors!r}")
            print(f"  CORRECTNESS FAILURE: {count} sweeps at once raised {errors!r}")
        per_notice = check(f"{count} sweeps at once", expected, dates)
        returned = sum(r.notifications for r in results)
        if returned != expected.notices:
            failures.append(f"{count} sweeps at once returned {returned} notifications")
        escalated_per_case = (
            scalar("SELECT count(*) FROM complaints_enquiryevent WHERE action = 'escalated'")
            / expected.escalated
        )
        concurrency[count] = (seconds, per_notice, escalated_per_case, returned)
        reset()

    sweep_median, floor_median = median(sweep_times), median(floor_times)
    enqueue_median = median(enqueue_times)
    nothing_median = median(nothing_times)
    print(f"  sweep (sweep_deadlines)      {fmt(sweep_median)}   median of {args.rounds}")
    print(
        f"    of which enqueue to Celery {fmt(enqueue_median)}   "
        "(one message after commit for every row it wrote); SQL and the rest "
        f"{fmt(sweep_median - enqueue_median).strip()}"
    )
    print(f"  floor (one raw statement)    {fmt(floor_median)}   median of {args.rounds}")
    print(
        f"  per-row ORM loop             {fmt(loop_seconds)}   SCALED: {len(sample_ids):,} due "
        f"enquiries timed in {loop_sample_seconds:.2f} s, x{expected.due / len(sample_ids):.1f}"
        f" ({sample_notices:,} notices written for the sample)"
    )
    print(
        f"    of which enqueue to Celery {fmt(loop_enqueue_seconds)}   (scaled likewise; the "
        f"loop hands each new notification to Celery after its commit, as the sweep does)"
    )
    print(f"  second sweep (all done)      {fmt(median(second_times))}")
    print(f"  sweep with nothing due       {fmt(nothing_median)}   median of {len(nothing_times)}")
    floor_ratio = sweep_median / floor_median
    floor_sql_ratio = (sweep_median - enqueue_median) / floor_median
    loop_ratio = loop_seconds / sweep_median
    print(f"  sweep/floor = {floor_ratio:.2f}x   (aim <= {FLOOR_AIM}x at 1,000,000)")
    print(f"    sweep without its enqueue/floor = {floor_sql_ratio:.2f}x")
    print(f"  loop/sweep = {loop_ratio:.1f}x   (aim >= {LOOP_AIM:.0f}x at 1,000,000)")
    print(
        f"    loop/sweep, both without their enqueue = "
        f"{(loop_seconds - loop_enqueue_seconds) / (sweep_median - enqueue_median):.1f}x"
    )
    print(f"  nothing due/full sweep = {nothing_median / sweep_median:.4f}x")
    for count, (seconds, per_notice, per_case, returned) in concurrency.items():
        print(
            f"  {count} sweeps at once: {fmt(seconds).strip()} wall; notices per due notice = "
            f"{per_notice:.3f}; escalations per due case = {per_case:.3f}; "
            f"results sum to {returned:,}"
        )
    if floor_ratio > FLOOR_AIM:
        print(f"  MISSED AIM: sweep/floor {floor_ratio:.2f}x > {FLOOR_AIM}x ({rows:,} rows)")
    if loop_ratio < LOOP_AIM:
        print(f"  MISSED AIM: loop/sweep {loop_ratio:.1f}x < {LOOP_AIM:.0f}x ({rows:,} rows)")
    if args.explain:
        print("  EXPLAIN ANALYZE, the sweep's escalation statement with nothing due:")
        with transaction.atomic():
            print(explain(sweep._ESCALATE, sweep._parameters(NOTHING_DUE_AT)))
            transaction.set_rollback(True)
        print("  EXPLAIN ANALYZE, the sweep's escalation statement (full):")
        with transaction.atomic(), acting_as("task:sweep"):
            print(explain(sweep._ESCALATE, sweep._parameters(NOW)))
            transaction.set_rollback(True)
        print("  EXPLAIN ANALYZE, the sweep's reminder/overdue statement (full):")
        with transaction.atomic(), acting_as("task:sweep"):
            print(explain(sweep._REMIND_AND_OVERDUE, sweep._parameters(NOW)))
            transaction.set_rollback(True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated, e.g. 100000,1000000")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved sweep/floor rounds")
    parser.add_argument("--sample", type=int, default=2000, help="due enquiries the loop times")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size]
    migrate_fresh("bench/sweep.py")
    bench_size.org = Org()
    calendar_for(bench_size.org.council)  # built once per process, as in a worker
    print(
        f"PostgreSQL {connection.pg_version}; deadline sweep vs one raw statement vs a per-row "
        f"ORM loop (aims at 1,000,000: sweep <= {FLOOR_AIM}x floor, loop >= {LOOP_AIM:.0f}x sweep)"
    )
    for rows in sizes:
        bench_size(rows, args)
    if failures:
        print("\nCORRECTNESS FAILURES:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
