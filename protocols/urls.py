"""The protocols pages."""

urlpatterns: list = []
