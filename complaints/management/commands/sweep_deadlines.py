"""``python manage.py sweep_deadlines [--now TIMESTAMP]``: the deadline sweep, once.

The same code Celery beat runs every five minutes (complaints.sweep). ``--now`` runs it as if
the time were TIMESTAMP (ISO 8601 with an offset, e.g. 2026-11-23T09:00:00Z).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from complaints.conduct.sweep import sweep_stage_deadlines
from complaints.sweep import sweep_deadlines


def parse_now(value: str):
    try:
        moment = parse_datetime(value)
    except ValueError as error:
        raise CommandError(f"--now {value!r} is not a valid date and time: {error}.") from error
    if moment is None:
        raise CommandError(
            f"--now {value!r} is not an ISO 8601 timestamp, e.g. 2026-11-23T09:00:00Z."
        )
    if timezone.is_naive(moment):
        raise CommandError(
            f"--now {value!r} has no offset from UTC: add one, e.g. {value}Z or {value}+00:00."
        )
    return moment


class Command(BaseCommand):
    help = "Send deadline reminders and overdue notices, and escalate overdue enquiries, once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Run as if the time were this ISO 8601 timestamp with an offset (default: now).",
        )

    def handle(self, *args, now=None, **options):
        moment = parse_now(now) if now else timezone.now()
        result = sweep_deadlines(now=moment)
        self.stdout.write(
            f"Swept deadlines as at {moment.isoformat()}: {result.notifications} "
            f"notifications written, {result.escalated} enquiries escalated."
        )
        stages = sweep_stage_deadlines(now=moment)  # conduct complaint stages
        self.stdout.write(
            f"Swept complaint stages: {stages.notifications} notifications written, "
            f"{stages.reminded} stages reminded, {stages.overdue} overdue."
        )
