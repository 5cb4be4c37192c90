from __future__ import annotations

from django.urls import path

from rollin import views

app_name = "rollin"
ITEM_COMPLETE = {"action": "item_complete"}
ITEM_REJECT = {"action": "item_reject"}

urlpatterns = [
    # The order page's actions: one view for items, one for the order; `action` names the row
    # of the table in rollin/actions.py.
    path("punkt/<int:item_id>/erledigen/", views.item_action, ITEM_COMPLETE, name="item_complete"),
    path("punkt/<int:item_id>/zurueckweisen/", views.item_action, ITEM_REJECT, name="item_reject"),
    path("punkt/<int:item_id>/dokument/", views.item_document, name="item_document"),
    path("<str:number>/zurueckstellen/", views.rollin_action, {"action": "hold"}, name="hold"),
    path("<str:number>/fortsetzen/", views.rollin_action, {"action": "resume"}, name="resume"),
    path("<str:number>/stornieren/", views.rollin_action, {"action": "cancel"}, name="cancel"),
    path("<str:number>/zuweisen/", views.rollin_action, {"action": "assign"}, name="assign"),
    path("<str:number>/erinnern/", views.rollin_action, {"action": "remind"}, name="remind"),
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
