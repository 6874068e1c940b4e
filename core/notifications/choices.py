from django.db import models


class NotificationKind(models.TextChoices):
    """Why someone is told (API.md, Notifications)."""

    REMINDER = "reminder", "Reminder: due soon"
    OVERDUE = "overdue", "Overdue"
    ESCALATED = "escalated", "Escalated"
    ASSIGNED = "assigned", "Assigned to you"
    STAGE_OPENED = "stage_opened", "Complaint stage opened"
    # A member is told of each step on their enquiry (city council protocol 10.3.1).
    ACKNOWLEDGED = "acknowledged", "Enquiry acknowledged"
    HOLDING_RESPONSE = "holding_response", "Holding response"
    RESPONDED = "responded", "Response sent"
    DUE_DATES_CHANGED = "due_dates_changed", "Due dates changed"
    # Declared relationships: one made to you; advice given on one you are party to.
    DECLARATION = "declaration", "Declaration made to you"
    ADVICE_GIVEN = "advice_given", "Advice given on a declaration"
    # An officer left: their open work waits for someone to reassign it.
    REASSIGNMENT_NEEDED = "reassignment_needed", "Needs reassigning"
