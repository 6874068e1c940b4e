"""Reads of notifications: each person sees only their own."""

from council.models import User

from .models import Notification


def notifications_for(viewer):
    """The viewer's own notifications, newest first; nobody else's (404 through the API)."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=viewer).order_by("-id")


def unread_count_for(viewer) -> int:
    """How many of the viewer's notifications are unread (the header's badge): counted with
    the signed-in account when it was loaded (council.backends: every change of what is read
    redirects, so the count is the page's), else one COUNT."""
    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return 0
    loaded = getattr(viewer, "unread_notifications", None)
    if loaded is not None:
        return loaded
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()
