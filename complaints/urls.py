from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="enquiry-queue"),
    path("new/", views.log_enquiry, name="enquiry-log"),
    path("mine/", views.my_casework, name="my-casework"),
    path("mine/new/", views.raise_enquiry, name="enquiry-raise"),
    path("escalations/", views.escalations, name="enquiry-escalations"),
    path("<int:pk>/", views.enquiry_detail, name="enquiry"),
    path(
        "<int:pk>/<slug:action>/",
        views.enquiry_action,
        name="enquiry-action",
    ),
]
