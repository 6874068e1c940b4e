"""``/api/v1/notifications/`` (API.md, Notifications): the caller's own, newest first.

Personal to the signed-in person, so API tokens (which are no person) are refused, and anyone
else's notification is not found (404).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from core.api.viewsets import CouncilScopedReadOnlyViewSet
from council.models import User

from .. import selectors, services
from ..models import Notification
from .serializers import NotificationSerializer


def _is_person(user) -> bool:
    return isinstance(user, User) and user.is_authenticated


class NotificationViewSet(CouncilScopedReadOnlyViewSet):
    """The caller's notifications: reminders, overdue notices, escalations, assignments."""

    model = Notification
    selector = selectors.notifications_for
    serializer_class = NotificationSerializer
    cursor_ordering = ("-id",)
    http_method_names = ["get", "post", "head", "options"]

    def has_read_permission(self, request) -> bool:
        return _is_person(request.user)

    def has_write_permission(self, request) -> bool:
        return _is_person(request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the notification read."""
        notification = services.mark_read(notification=self.get_object(), by=request.user)
        return self.object_response(notification)
