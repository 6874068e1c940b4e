"""``/api/v1/notifications/``, included under ``api/v1/`` by config/urls.py. URL names:
``notification-list``, ``notification-detail``, ``notification-read``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
