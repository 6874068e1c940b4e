from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("council.api.urls")),
    path("api/v1/", include("complaints.api.urls")),
    path("api/v1/", include("complaints.conduct.api.urls")),
    path("api/v1/", include("core.notifications.api.urls")),
    path("api/v1/", include("protocols.api.urls")),
    path("api/v1/", include("relationships.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("history/", include("core.urls")),
    path("enquiries/", include("complaints.urls")),
    path("complaints/", include("complaints.conduct.urls")),
    path("notifications/", include("core.notifications.urls")),
    path("protocols/", include("protocols.urls")),
    path("declarations/", include("relationships.urls")),
    path("", include("council.urls")),
]
