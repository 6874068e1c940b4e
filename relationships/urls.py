"""The relationships pages."""

urlpatterns: list = []
