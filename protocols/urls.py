"""The protocols pages, under /protocols/. A clause's permalink is
``/protocols/<protocol>/versions/<version>/clauses/<number>/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.protocol_index, name="protocols"),
    path("search/", views.search, name="protocol-search-page"),
    path("import/", views.import_document, name="protocol-import-page"),
    path("import/commit/", views.commit_import, name="protocol-import-commit"),
    path("<int:pk>/", views.protocol_detail, name="protocol-page"),
    # A version by its id alone (links from notifications), redirecting to its page.
    path("versions/<int:version_pk>/", views.version_by_id, name="protocol-version-by-id"),
    path("<int:pk>/import/", views.import_document, name="protocol-import-version-page"),
    path("<int:pk>/import/commit/", views.commit_import, name="protocol-import-commit-version"),
    path("<int:pk>/compare/", views.compare, name="protocol-compare-page"),
    path("<int:pk>/versions/<int:version_pk>/", views.version_detail, name="protocol-version-page"),
    path(
        "<int:pk>/versions/<int:version_pk>/clauses/<str:number>/",
        views.clause_detail,
        name="protocol-clause-page",
    ),
    path(
        "<int:pk>/versions/<int:version_pk>/<slug:action>/",
        views.version_action,
        name="protocol-version-action",
    ),
]
