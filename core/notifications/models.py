"""The notification a person sees in the app, which is also the outbox row of its e-mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.loading import PlainLoading

from .choices import NotificationKind


class Notification(PlainLoading, models.Model):
    """One thing one person is told, at most once (``dedupe_key`` is unique).

    Written in the same transaction as the change that causes it, so a rolled-back change
    tells nobody and a committed one is never lost, whatever happens to the broker. Its e-mail
    is delivered from this row (``email_sent_at`` set once sent). ``subject`` is short and
    carries no constituent's personal data or complaint content: e-mails say only that there
    is something new (DESIGN.md, Security decisions).

    ``dedupe_key`` names the occasion and the recipient, e.g.
    ``enquiry:42:reminder:first_response:2026-12-22:user:7``: whoever writes the same
    occasion twice (a repeated or concurrent sweep) writes nothing the second time
    (INSERT ... ON CONFLICT DO NOTHING).
    """

    council = models.ForeignKey(
        "council.Council", on_delete=models.CASCADE, related_name="notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    resource_type = models.CharField(max_length=40)
    resource_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveIntegerField(default=0)
    email_last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="notification_kind_valid",
            ),
        ]
        indexes = [
            # The caller's list, newest first.
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            # The header's badge: the unread ones, counted on every page.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # The relay: what is still to be e-mailed, oldest first.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(email_sent_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"
