from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The notification outbox, shared by every domain app (STYLE.md, One shape)."""

    name = "core.notifications"
    label = "notifications"
    verbose_name = "Notifications"
