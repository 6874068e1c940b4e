"""Shared set-up of the enquiry benchmarks (bench/sweep.py, bench/lists.py).

Bootstraps Django against the throwaway PostgreSQL that scripts/with_services.py starts
(DATABASE_URL, REDIS_URL), migrates it, makes one council's organisation through the ORM (a
handful of rows: directorates with directors, line managers, officers, members, a casework
officer) and generates enquiries with set-based SQL (INSERT ... SELECT generate_series), valid
under every CHECK constraint of complaints.models.Enquiry.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_DEBUG"] = "false"  # no query logging in the timed loops
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
# Production serves hashed names from collectstatic's manifest (a dict lookup per URL); the
# throwaway checkout has no manifest, so pages name the static files as they are.
os.environ.setdefault(
    "DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# E-mails are delivered by a worker, which the benchmarks do not run; should anything send
# one in-process, it goes nowhere.
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from council.choices import Seniority, Team  # noqa: E402
from council.models import Council, Directorate, Member, Officer, User, Ward  # noqa: E402

UTC = datetime.UTC
NO_RESPONSE_DUE = datetime.date(9999, 12, 31)

N_DIRECTORATES = 4
N_MANAGERS = 12
N_OFFICERS = 240
N_MEMBERS = 60


def execute(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def migrate_fresh(name: str) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if Council.objects.exists():
        sys.exit(f"{name} wants a fresh database (run it through scripts/with_services.py)")


class Org:
    """One council's people, made through the ORM (tens of rows)."""

    def __init__(self):
        self.council = Council.objects.create(slug="bench", name="Bench District")
        council = self.council
        n = iter(range(1, 10**6))

        def officer(directorate=None, **fields):
            i = next(n)
            user = User.objects.create_user(
                email=f"officer{i}@bench.test", full_name=f"Officer {i}", council=council
            )
            return Officer.objects.create(
                council=council,
                user=user,
                employee_number=f"E{i:05d}",
                full_name=user.full_name,
                email=user.email,
                job_title="Officer",
                directorate=directorate,
                **fields,
            )

        self.directorates = []
        for d in range(N_DIRECTORATES):
            directorate = Directorate.objects.create(council=council, name=f"Directorate {d}")
            directorate.director = officer(directorate, seniority=Seniority.DIRECTOR)
            directorate.save()
            self.directorates.append(directorate)
        self.managers = [
            officer(self.directorates[m % N_DIRECTORATES], seniority=Seniority.MANAGER)
            for m in range(N_MANAGERS)
        ]
        self.officers = [
            officer(
                self.directorates[o % N_DIRECTORATES],
                seniority=Seniority.OFFICER,
                line_manager=self.managers[o % N_MANAGERS],
            )
            for o in range(N_OFFICERS)
        ]
        self.casework_officer = officer(teams=[Team.CASEWORK])
        self.casework = self.casework_officer.user
        ward = Ward.objects.create(council=council, name="Bench Ward")
        self.members = [
            Member.objects.create(
                council=council, full_name=f"Member {m}", email=f"member{m}@bench.test", ward=ward
            )
            for m in range(N_MEMBERS)
        ]

    def id_arrays(self):
        return {
            "council": self.council.pk,
            "officers": [o.pk for o in self.officers],
            "directorates": [d.pk for d in self.directorates],
            "members": [m.pk for m in self.members],
        }


# The columns every generated enquiry sets; the SELECT lists below give them in this order.
ENQUIRY_COLUMNS = """
INSERT INTO complaints_enquiry
    (version, created_at, updated_at, council_id, reference, member_id, constituent_name,
     constituent_email, constituent_phone, constituent_address, subject, description,
     directorate_id, assigned_officer_id, channel, received_at, status, first_response_days,
     full_response_days, holding_response_extends, first_response_due, full_response_due,
     response_due, acknowledged_at, holding_response_at, holding_reason, responded_at,
     response, closed_at, escalation_level, escalated_at, escalated_to, logged_by_id)"""


def insert_enquiries(org: Org, *, rows: int, select: str, params: dict) -> None:
    """INSERT ... SELECT over generate_series(1, rows) AS n. ``select`` gives a subquery
    ``g`` with columns n, status, due (the running clock's due date, or 9999-12-31),
    first_due, full_due, received, answered (timestamp or NULL), closed (timestamp or NULL);
    officers, directorates and members are spread round-robin over n."""
    ids = org.id_arrays()
    execute(
        f"""
        {ENQUIRY_COLUMNS}
        SELECT 1, g.received, g.received, %(council)s, 'ENQ-B-' || lpad(g.n::text, 8, '0'),
               (%(members)s::bigint[])[1 + g.n %% array_length(%(members)s::bigint[], 1)],
               'Resident ' || g.n, 'resident' || g.n || '@example.org', '', '',
               'Bench enquiry ' || g.n, 'Generated for the benchmark.',
               (%(directorates)s::bigint[])[1 + g.n %% array_length(%(directorates)s::bigint[], 1)],
               (%(officers)s::bigint[])[1 + g.n %% array_length(%(officers)s::bigint[], 1)],
               'email', g.received, g.status, 3, 10, true, g.first_due, g.full_due, g.due,
               NULL, NULL, '', g.answered, CASE WHEN g.answered IS NULL THEN '' ELSE 'Done.' END,
               g.closed, 0, NULL, '', NULL
        FROM ({select}) AS g
        """,
        {**ids, "rows": rows, **params},
    )
    # Every table, as autovacuum leaves a council's database: with only the enquiries analyzed
    # the planner guessed the sizes of the joined tables, and its plans changed mid-run when
    # autovacuum analyzed them.
    execute("VACUUM ANALYZE")


def rotate(items, round_number):
    shift = round_number % len(items)
    return items[shift:] + items[:shift]


def median(values):
    return statistics.median(values)


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:9.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:9.1f} ms"
    return f"{seconds:9.2f} s "


def explain(sql, params=None) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())
