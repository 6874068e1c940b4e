from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("people/", views.people, name="people"),
    path("people/members/<int:pk>/", views.member, name="member"),
    path("people/officers/<int:pk>/", views.officer, name="officer"),
    path("council/settings/", views.council_settings, name="council-settings"),
    path("council/settings/change/", views.council_settings_change, name="council-settings-change"),
    path("council/closure-days/add/", views.closure_day_add, name="closure-day-add"),
    path("council/closure-days/remove/", views.closure_day_remove, name="closure-day-remove"),
    path("council/api-tokens/", views.api_tokens, name="api-tokens"),
    path("council/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("council/import/", views.csv_import, name="csv-import"),
    path("council/import/apply/", views.csv_import_apply, name="csv-import-apply"),
    path(
        "council/exports/<slug:kind>.csv",
        views.export_csv,
        name="csv-export",
    ),
]
