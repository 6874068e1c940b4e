"""The notifications pages, included under ``notifications/`` by config/urls.py. URL names:
``notifications``, ``notification-open``, ``notification-mark-read`` (the API's are
``notification-list``, ``notification-detail`` and ``notification-read``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("<int:pk>/read/", views.notification_mark_read, name="notification-mark-read"),
]
