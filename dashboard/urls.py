from __future__ import annotations

from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("auftraege/", views.order_list, name="order_list"),
    path("auftraege/export.csv", views.order_export, name="order_export"),
    path("auftraege/sammelaktion/", views.bulk_action, name="bulk_action"),
    path("sammelaktionen/<int:job_id>/", views.bulk_job, name="bulk_job"),
    path("aufgaben/", views.my_tasks, name="my_tasks"),
    path("weisse-flecken/", views.white_spot_list, name="white_spots"),
    path("auftraege/<str:number>/", views.order_detail, name="order_detail"),
    # The order's actions from the coordination's page: same table (rollin.actions), own answer.
    *(
        path(
            f"auftraege/<str:number>/{slug}/", views.order_action, {"action": a}, name=f"order_{a}"
        )
        for slug, a, name in (
            ("zurueckstellen", "hold", "order_hold"),
            ("fortsetzen", "resume", "order_resume"),
            ("stornieren", "cancel", "order_cancel"),
            ("zuweisen", "assign", "order_assign"),
            ("erinnern", "remind", "order_remind"),
        )
    ),
    path(
        "auftraege/<str:number>/punkt/<int:item_id>/erledigen/",
        views.item_action,
        {"action": "item_complete"},
        name="item_approve",
    ),
    path(
        "auftraege/<str:number>/punkt/<int:item_id>/zurueckweisen/",
        views.item_action,
        {"action": "item_reject"},
        name="item_reject",
    ),
]
