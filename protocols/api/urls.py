"""``/api/v1/protocols/``, ``/api/v1/protocol-versions/`` and ``/api/v1/clauses/`` (API.md,
Protocols), included under ``api/v1/`` by config/urls.py. URL names are un-namespaced:
``protocol-list``, ``protocol-detail``, ``protocol-import``, ``protocol-version-list``,
``protocol-version-detail``, ``protocol-version-consult``,
``protocol-version-withdraw-consultation``, ``protocol-version-adopt``,
``protocol-version-diff``, ``clause-list``, ``clause-detail``."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("protocols", views.ProtocolViewSet, basename="protocol")
router.register("protocol-versions", views.VersionViewSet, basename="protocol-version")
router.register("clauses", views.ClauseViewSet, basename="clause")

urlpatterns = router.urls
