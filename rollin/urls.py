from __future__ import annotations

from django.urls import path

from rollin import views

app_name = "rollin"

urlpatterns = [
    path("punkt/<int:item_id>/erledigen/", views.item_complete, name="item_complete"),
    path("punkt/<int:item_id>/zurueckweisen/", views.item_reject, name="item_reject"),
    path("punkt/<int:item_id>/dokument/", views.item_document, name="item_document"),
    path("<str:number>/zurueckstellen/", views.rollin_hold, name="hold"),
    path("<str:number>/fortsetzen/", views.rollin_resume, name="resume"),
    path("<str:number>/stornieren/", views.rollin_cancel, name="cancel"),
    path("<str:number>/zuweisen/", views.rollin_assign, name="assign"),
    path("<str:number>/erinnern/", views.rollin_remind, name="remind"),
    # The simulated Fachverfahren of an authority (see rollin/simulator.py).
    path(
        "simulator/<str:authority_code>/configure", views.simulator_configure, name="sim_configure"
    ),
    path("simulator/<str:authority_code>/probe", views.simulator_probe, name="sim_probe"),
    path(
        "simulator/<str:authority_code>/submissions",
        views.simulator_submissions,
        name="sim_submissions",
    ),
    path(
        "simulator/<str:authority_code>/submissions/<str:key>/ack",
        views.simulator_ack,
        name="sim_ack",
    ),
]
