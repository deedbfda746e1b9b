from django.urls import path

from .views import history, pdf, plans

app_name = "action_plans"

urlpatterns = [
    path("members/<slug:slug>/plans/new/", plans.create, name="create"),
    path("plans/<str:identifier>/", plans.detail, name="detail"),
    path("plans/<str:identifier>/edit/", plans.edit, name="edit"),
    path("plans/<str:identifier>/deadline/", plans.deadline, name="deadline"),
    path("plans/<str:identifier>/lifecycle/<str:action>/", plans.transition, name="transition"),
    path("plans/<str:identifier>/changes/", history.plan_changes, name="changes"),
    *pdf.urlpatterns,
]
