"""Celery tasks of the outbox: thin wrappers over ``core.notifications.services``.

Messages carry ids only (DESIGN.md, Security decisions: no personal data in Celery messages).
"""

import datetime

from celery import shared_task

from . import services


@shared_task(name="notifications.deliver_notification", ignore_result=True)
def deliver_notification(notification_id: int) -> bool:
    return services.deliver(notification_id=notification_id)


@shared_task(name="notifications.deliver_notifications", ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> int:
    """Deliver a chunk of notifications (``services.enqueue_delivery``); returns how many
    this call sent (the rest were sent already or are held by another worker)."""
    return sum(services.deliver(notification_id=pk) for pk in notification_ids)


@shared_task(name="notifications.deliver_written_at", ignore_result=True)
def deliver_written_at(created_at: str) -> int:
    """Deliver the notifications a set-based writer stamped with ``created_at`` (ISO 8601)."""
    return services.deliver_written_at(created_at=datetime.datetime.fromisoformat(created_at))


@shared_task(name="notifications.relay_outbox", ignore_result=True)
def relay_outbox(older_than: int | None = None) -> int:
    """Deliver what is still unsent ``older_than`` seconds (default: a minute) after it was
    written; beat runs it every minute."""
    return services.relay_unsent(older_than=older_than)
