from django.db import models


class NotificationKind(models.TextChoices):
    """Why someone is told (API.md, Notifications)."""

    REMINDER = "reminder", "Reminder: due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATED = "escalated", "Escalated"
    ASSIGNED = "assigned", "Assigned to you"
    STAGE_OPENED = "stage_opened", "Complaint stage opened"
