"""Reads of notifications: each person sees only their own."""

from council.models import User

from .models import Notification


def notifications_for(viewer):
    """The viewer's own notifications, newest first; nobody else's (404 through the API)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=viewer).order_by("-id")


def unread_count_for(viewer) -> int:
    """How many of the viewer's notifications are unread (the header's badge): one COUNT."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()
