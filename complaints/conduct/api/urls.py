"""``/api/v1/complaints/`` (API.md, Complaints), included under ``api/v1/`` by config/urls.py.
URL names: ``complaint-list``, ``complaint-detail`` and ``complaint-<action>`` for escalate,
reroute, resolve, cite, withdraw, close, notify-subject, assign-investigator, evidence,
history and views."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
