"""``/api/v1/declarations/`` and ``/api/v1/conflicts/`` (API.md, Declarations), included under
``api/v1/`` by config/urls.py. URL names: ``declaration-list``, ``declaration-detail``,
``declaration-acknowledge``, ``declaration-advice``, ``declaration-end``, ``conflict-check``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("declarations", views.DeclarationViewSet, basename="declaration")

urlpatterns = [
    path("conflicts/", views.ConflictCheckView.as_view(), name="conflict-check"),
    *router.urls,
]
