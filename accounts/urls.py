from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_authority, name="my_authority"),
    path(
        "beitreten/<int:authority_id>/", views.membership_request_create, name="membership_request"
    ),
    path("antraege/", views.membership_queue, name="membership_queue"),
    path("antraege/<int:pk>/bestaetigen/", views.membership_approve, name="membership_approve"),
    path("antraege/<int:pk>/ablehnen/", views.membership_reject, name="membership_reject"),
    path("einladen/", views.invitation_create, name="invitation_create"),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "koordination/einladung/<str:token>/",
        views.coordinator_invitation_accept,
        name="coordinator_invitation_accept",
    ),
]
