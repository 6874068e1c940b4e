"""Celery tasks of council: thin wrappers (STYLE.md)."""

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="council.clear_expired_sessions", ignore_result=True)
def clear_expired_sessions_task() -> None:
    """Delete expired sessions (what Django's ``clearsessions`` does), on beat's daily UTC
    interval: without it the sessions table only grows. Harmless to run twice."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
