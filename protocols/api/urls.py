"""The protocols API (API.md)."""

urlpatterns: list = []
