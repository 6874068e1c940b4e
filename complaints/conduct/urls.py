"""The conduct complaint pages, included at ``complaints/`` by config/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="complaint-dashboard"),
    path("new/", views.raise_concern, name="complaint-raise"),
    path("mine/", views.mine, name="complaint-mine"),
    path("routes/", views.routes, name="complaint-routes"),
    path("routes/stages/<int:pk>/", views.route_stage, name="complaint-route-stage"),
    path("routes/<int:pk>/add-stage/", views.route_add_stage, name="complaint-route-add-stage"),
    path("<int:pk>/", views.complaint_detail, name="complaint"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence_file,
        name="complaint-evidence-file",
    ),
    path("<int:pk>/<slug:action>/", views.complaint_action, name="complaint-action"),
]
