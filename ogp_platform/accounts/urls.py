"""The platform's own account pages, mounted under `accounts/` before allauth's."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("data/download/", views.data_download, name="data_download"),
    path("delete/", views.delete, name="delete"),
]
