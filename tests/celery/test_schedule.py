"""The beat schedule: the sweep every five minutes and the outbox relay every minute, on UTC
intervals (not crontabs, which the UK clock changes make fire twice or not at all)."""

from __future__ import annotations

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from complaints.tasks import sweep_deadlines_task
from config.celery import app


def test_tasks_are_registered_under_the_scheduled_names():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def test_the_database_scheduler_runs_the_sweep_every_300_seconds_in_utc(transactional_db):
    DatabaseScheduler(app=app, lazy=False)
    sweep = PeriodicTask.objects.get(task="complaints.sweep_deadlines")
    relay = PeriodicTask.objects.get(task="notifications.relay_outbox")
    assert (sweep.interval.every, sweep.interval.period) == (300, "seconds")
    assert (relay.interval.every, relay.interval.period) == (60, "seconds")
    assert sweep.crontab is None
    assert app.conf.timezone == "UTC"


@pytest.mark.django_db
def test_the_sweep_task_runs_the_sweep():
    assert sweep_deadlines_task() == {"escalated": 0, "notifications": 0}
