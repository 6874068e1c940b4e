"""Celery tasks of protocols: thin wrappers over services (STYLE.md)."""

from celery import shared_task

from . import services


@shared_task(name="protocols.remind_reviews", ignore_result=True)
def remind_reviews_task() -> int:
    """The protocol review reminders, on beat's daily UTC interval. A second run (two beats,
    a redelivered message) tells nobody twice."""
    return services.remind_reviews()
