"""Celery tasks of conduct complaints: thin wrappers over services (STYLE.md). The stage
sweep runs inside the enquiry sweep's task (complaints.tasks), on the same beat schedule."""

from celery import shared_task

from .sweep import sweep_stage_deadlines


@shared_task(name="complaints.sweep_stage_deadlines", ignore_result=True)
def sweep_stage_deadlines_task() -> dict:
    """The complaint stage sweep alone (for running it by hand from a worker)."""
    result = sweep_stage_deadlines()
    return {
        "reminded": result.reminded,
        "overdue": result.overdue,
        "notifications": result.notifications,
    }
