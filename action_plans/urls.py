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
    path("plans/<str:identifier>/pdf/", pdf.plan_pdf, name="pdf"),
    path("plans/<str:identifier>/pdf/<uuid:export_id>/", pdf.pdf_status, name="pdf_status"),
    path("plans/<str:identifier>/pdf/<uuid:export_id>/retry/", pdf.pdf_retry, name="pdf_retry"),
    path(
        "plans/<str:identifier>/pdf/<uuid:export_id>/download/",
        pdf.pdf_download,
        name="pdf_download",
    ),
    path("commitments/<str:identifier>/pdf/", pdf.commitment_pdf, name="commitment_pdf"),
]
