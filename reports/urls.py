from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.state_overview, name="state_overview"),
    path("oeffentlich/", views.public_summary, name="public_summary"),
    path("bund/", views.federal, name="federal"),
    path("land/<str:ags>/", views.state_report, name="state_report"),
    path("land/<str:ags>/bericht.pdf", views.state_report_pdf, name="state_report_pdf"),
    path("land/<str:ags>/karte/", views.map_report, name="map_report"),
    path("land/<str:ags>/leistung/<slug:slug>/", views.service_report, name="service_report"),
    path("kreis/<str:ags>/", views.district_report, name="district_report"),
]
