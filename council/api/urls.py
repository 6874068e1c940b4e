"""``/api/v1/``: the organisation's resources (API.md). URL names are un-namespaced
(``member-list``, ``officer-detail``, ``officer-by-employee-number``, ...)."""

from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView, DefaultRouter

from core.events.api import EventFeedView

from . import views
from .calendar_views import WorkingDaysView


class ApiRootView(APIRootView):
    """The index of resources, for anyone signed in or holding a token."""

    permission_classes = [IsAuthenticated]


router = DefaultRouter()
router.include_format_suffixes = False
router.APIRootView = ApiRootView
router.register("councils", views.CouncilViewSet, basename="council")
router.register("wards", views.WardViewSet, basename="ward")
router.register("political-groups", views.PoliticalGroupViewSet, basename="political-group")
router.register("directorates", views.DirectorateViewSet, basename="directorate")
router.register("members", views.MemberViewSet, basename="member")
router.register("officers", views.OfficerViewSet, basename="officer")
router.register("committees", views.CommitteeViewSet, basename="committee")

urlpatterns = [
    # Before the router's routes: council detail is councils/<slug>/, this is one level below.
    path(
        "councils/<slug:slug>/working-days/", WorkingDaysView.as_view(), name="council-working-days"
    ),
    # The change feed (core.events): every change the caller may see, oldest first.
    path("events/", EventFeedView.as_view(), name="event-list"),
    *router.urls,
]
