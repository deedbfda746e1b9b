"""Each view module declares its own `urlpatterns`; they are joined here under one namespace."""

from .views import comments, consultations, moderation, notifications, register, votes

app_name = "participation"

urlpatterns = [
    *consultations.urlpatterns,
    *comments.urlpatterns,
    *votes.urlpatterns,
    *moderation.urlpatterns,
    *register.urlpatterns,
    *notifications.urlpatterns,
]
