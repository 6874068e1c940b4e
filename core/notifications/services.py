"""Writing notifications (in the caller's transaction) and delivering their e-mails.

``notify`` is called by domain services inside their ``transaction.atomic`` block: the rows
commit or roll back with the change. After commit each new row's id is handed to Celery
(``tasks.deliver_notification``); if the broker is unreachable that is logged and the
caller's request still succeeds, because ``relay_unsent`` (beat, every minute) delivers
whatever is still unsent a little later (DESIGN.md, Member enquiries).

E-mails carry no content, only that there is something new and where to look (DESIGN.md,
Security decisions).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from .choices import NotificationKind
from .models import Notification

logger = logging.getLogger(__name__)

EMAIL_SUBJECT = "You have a new item in Councilcase"
# The relay leaves rows this young to the task enqueued on commit.
RELAY_AFTER_SECONDS = 60
# After this many failed attempts a row waits for a person (its last error is kept).
MAX_EMAIL_ATTEMPTS = 10
RELAY_BATCH = 500
# Publishing after commit: one attempt to reach the broker, then leave it to the relay.
FAIL_FAST = {"max_retries": 0}

_INSERT = """
INSERT INTO notifications_notification
    (council_id, recipient_id, kind, subject, resource_type, resource_id, created_at,
     dedupe_key, email_attempts, email_last_error)
SELECT %s, recipient_id, %s, %s, %s, %s, %s, %s || ':user:' || recipient_id, 0, ''
FROM unnest(%s::bigint[]) AS recipients (recipient_id)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id
"""


def _user_id(recipient) -> int | None:
    """A User, or an Officer/Member record (their account), or None (nobody to tell)."""
    if recipient is None:
        return None
    if hasattr(recipient, "user_id") and not hasattr(recipient, "is_authenticated"):
        return recipient.user_id
    return recipient.pk


def notify(
    *,
    recipients: Iterable,
    kind: str,
    subject: str,
    resource,
    dedupe_key_base: str,
    now: datetime.datetime | None = None,
) -> list[int]:
    """Tell each of ``recipients`` (Users, or Officer/Member records; None and people
    without an account are skipped) about ``resource``, at most once per
    ``dedupe_key_base``. Call inside the transaction of the change; returns the ids of the
    rows written (none for those told before)."""
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    user_ids = sorted({uid for uid in map(_user_id, recipients) if uid is not None})
    if not user_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT,
            [
                resource.council_id,
                kind,
                subject[:200],
                resource._meta.model_name,
                resource.pk,
                now or timezone.now(),
                dedupe_key_base,
                user_ids,
            ],
        )
        ids = [row[0] for row in cursor.fetchall()]
    enqueue_after_commit(ids)
    return ids


def enqueue_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))


# Ids per Celery message: one message per notification made a sweep of 50,000 due cases
# spend most of its time talking to the broker; a chunk is delivered one row at a time by
# ``deliver`` all the same, so a redelivered or half-done chunk sends nothing twice.
DELIVERY_CHUNK = 250


def enqueue_delivery(ids: Iterable[int]) -> None:
    """Hand the notifications to workers, in chunks of ids. A broker outage is logged, never
    raised, and costs the caller about a second (one connection attempt, no retries): the
    rows are committed and the relay delivers them once the broker is back."""
    from .tasks import deliver_notifications

    app = deliver_notifications.app
    ids = list(ids)
    chunk: list[int] = []
    try:
        with app.connection_for_write(transport_options=FAIL_FAST) as broker:
            for start in range(0, len(ids), DELIVERY_CHUNK):
                chunk = ids[start : start + DELIVERY_CHUNK]
                deliver_notifications.apply_async((chunk,), retry=False, connection=broker)
    except Exception:  # any broker failure only delays delivery
        logger.warning(
            "Could not enqueue notifications %s; the outbox relay will deliver them.",
            chunk[:10],
            exc_info=True,
        )


def enqueue_written_at_after_commit(created_at: datetime.datetime) -> None:
    """After commit, one message for every notification written with ``created_at`` (a
    set-based writer such as the deadline sweep stamps all its rows with one time). The
    message carries only the time; the worker reads the ids (``deliver_written_at``)."""
    transaction.on_commit(lambda: _enqueue_written_at(created_at))


def _enqueue_written_at(created_at: datetime.datetime) -> None:
    from .tasks import deliver_written_at

    try:
        with deliver_written_at.app.connection_for_write(transport_options=FAIL_FAST) as broker:
            deliver_written_at.apply_async(
                (created_at.isoformat(),), retry=False, connection=broker
            )
    except Exception:  # any broker failure only delays delivery
        logger.warning(
            "Could not enqueue the notifications written at %s; the outbox relay will "
            "deliver them.",
            created_at.isoformat(),
            exc_info=True,
        )


def deliver_written_at(*, created_at: datetime.datetime) -> int:
    """Deliver every notification written at ``created_at`` and still unsent (the partial
    index ``notification_unsent`` finds them); returns how many this call sent."""
    ids = Notification.objects.filter(
        created_at=created_at, email_sent_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS
    ).values_list("id", flat=True)
    return sum(deliver(notification_id=pk) for pk in list(ids))


def _email_body() -> str:
    base = getattr(settings, "SITE_URL", "http://localhost:8000").rstrip("/")
    return f"You have a new item in Councilcase.\n\nSign in to see it: {base}/\n"


def deliver(*, notification_id: int, now: datetime.datetime | None = None) -> bool:
    """E-mail one notification unless it has been sent or another worker holds it.

    The row is locked ``FOR UPDATE SKIP LOCKED`` for the send, so two workers given the same
    id (a redelivered message, the relay) never both send it: the second skips. Returns
    whether this call sent it. A failed send is counted and kept for the relay to retry.

    The mail server is outside the transaction: a worker killed after the server accepted
    the message but before the commit (a window of one UPDATE) would send it again on the
    retry. Everything before that point — a kill while sending, a lost or redelivered
    message, two workers — sends once (tests/celery).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, email_sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        notification.email_attempts += 1
        address = notification.recipient.email
        try:
            if address and notification.recipient.is_active:
                send_mail(EMAIL_SUBJECT, _email_body(), None, [address])
        except Exception as error:  # kept on the row; the relay retries
            notification.email_last_error = f"{type(error).__name__}: {error}"[:1000]
            notification.save(update_fields=["email_attempts", "email_last_error"])
            logger.warning("E-mail for notification %s failed: %s", notification_id, error)
            return False
        notification.email_sent_at = now or timezone.now()
        notification.email_last_error = ""
        notification.save(update_fields=["email_attempts", "email_sent_at", "email_last_error"])
        return True


def relay_unsent(*, now: datetime.datetime | None = None, older_than: int | None = None) -> int:
    """Deliver notifications still unsent ``older_than`` seconds after they were written
    (their broker message was lost, or the broker was down). Returns how many were sent."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(
        seconds=RELAY_AFTER_SECONDS if older_than is None else older_than
    )
    ids = list(
        Notification.objects.filter(
            email_sent_at__isnull=True,
            created_at__lte=cutoff,
            email_attempts__lt=MAX_EMAIL_ATTEMPTS,
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:RELAY_BATCH]
    )
    return sum(deliver(notification_id=pk) for pk in ids)


def mark_read(*, notification: Notification, by, now: datetime.datetime | None = None):
    """Mark one of the caller's notifications read (the first time only)."""
    if notification.recipient_id != getattr(by, "pk", None):
        raise PermissionError("Only the recipient may mark a notification read.")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
    notification.refresh_from_db(fields=["read_at"])
    return notification
