"""The relationships API (API.md)."""

urlpatterns: list = []
