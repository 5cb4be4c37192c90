from __future__ import annotations

from django.urls import path

from outreach import campaign_views, views

app_name = "outreach"

urlpatterns = [
    path("kampagnen/", campaign_views.campaign_list, name="campaign_list"),
    path("kampagnen/neu/", campaign_views.campaign_create, name="campaign_create"),
    path("kampagnen/<int:campaign_id>/", campaign_views.campaign_detail, name="campaign_detail"),
    path(
        "kampagnen/<int:campaign_id>/senden/",
        campaign_views.campaign_send,
        name="campaign_send",
    ),
    path(
        "kampagnen/<int:campaign_id>/nachfassen/",
        campaign_views.campaign_follow_up,
        name="campaign_follow_up",
    ),
    path("k/<str:token>/", campaign_views.campaign_link, name="campaign_link"),
    path("abmelden/<str:token>/", campaign_views.opt_out, name="opt_out"),
    path("schulungen/", views.session_list, name="session_list"),
    path("schulungen/neu/", views.session_create, name="session_create"),
    path("schulungen/<int:session_id>/", views.session_detail, name="session_detail"),
    path("schulungen/<int:session_id>/aendern/", views.session_edit, name="session_edit"),
    path("schulungen/<int:session_id>/teilnahme/", views.attendance, name="attendance"),
    path("bestellung/<str:number>/schulung/", views.order_sessions, name="order_sessions"),
    path(
        "bestellung/<str:number>/schulung/<int:session_id>/buchen/",
        views.seat_book,
        name="seat_book",
    ),
    path(
        "bestellung/<str:number>/schulung/buchung/<int:booking_id>/stornieren/",
        views.seat_cancel,
        name="seat_cancel",
    ),
]
