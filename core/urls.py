from django.urls import path

from .audit import views as audit_views

app_name = "audit"

urlpatterns = [
    path(
        "<str:app_label>/<str:model_name>/<str:pk>/",
        audit_views.record_history,
        name="history",
    ),
]
