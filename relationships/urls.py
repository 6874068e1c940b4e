"""The declaration pages, mounted at /declarations/ by config/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_declarations, name="my-declarations"),
    path("new/", views.declare, name="declare"),
    path("register/", views.register, name="declaration-register"),
    path("register.csv", views.register_csv, name="declaration-register-csv"),
    path("<int:pk>/", views.declaration_detail, name="declaration"),
    path("<int:pk>/<slug:action>/", views.declaration_action, name="declaration-action"),
]
