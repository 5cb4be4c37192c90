from __future__ import annotations

from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
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
