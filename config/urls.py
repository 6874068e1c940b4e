from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views

# Swagger UI, under the Content Security Policy: the split view serves its start-up script
# from a URL rather than inline, so script-src needs nothing more; its page's <style> block
# and the styles Swagger UI writes at run time need inline styles, on this page only.
api_docs = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("council.api.urls")),
    path("api/v1/", include("complaints.api.urls")),
    path("api/v1/", include("complaints.conduct.api.urls")),
    path("api/v1/", include("core.notifications.api.urls")),
    path("api/v1/", include("protocols.api.urls")),
    path("api/v1/", include("relationships.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility-statement"),
    path("history/", include("core.urls")),
    path("enquiries/", include("complaints.urls")),
    path("complaints/", include("complaints.conduct.urls")),
    path("notifications/", include("core.notifications.urls")),
    path("protocols/", include("protocols.urls")),
    path("declarations/", include("relationships.urls")),
    path("", include("council.urls")),
]
