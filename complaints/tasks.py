"""Celery tasks of member enquiries: thin wrappers over services (STYLE.md)."""

from celery import shared_task

from .conduct.sweep import sweep_stage_deadlines
from .sweep import sweep_deadlines


@shared_task(name="complaints.sweep_deadlines", ignore_result=True)
def sweep_deadlines_task() -> dict:
    """The deadline sweep, on beat's five-minute UTC interval. A second run (two beats, a
    redelivered message) does nothing twice."""
    result = sweep_deadlines()
    stages = sweep_stage_deadlines()  # conduct complaint stages (complaints.conduct.sweep)
    return {
        "escalated": result.escalated,
        "notifications": result.notifications + stages.notifications,
    }
