"""The ordering pages (basket, checkout steps, contact data). rollin/order_urls.py adds the
order pages that show the roll-in and is what the project includes as the orders namespace."""

from __future__ import annotations

from django.urls import path

from orders import views

urlpatterns = [
    path("warenkorb/", views.basket, name="basket"),
    path("warenkorb/hinzufuegen/", views.basket_add, name="basket_add"),
    path("warenkorb/<slug:slug>/entfernen/", views.basket_remove, name="basket_remove"),
    path("kasse/", views.checkout_start, name="checkout"),
    path("kasse/leistung/<slug:slug>/", views.checkout_service, name="checkout_service"),
    path("kasse/bestaetigung/", views.checkout_done, name="checkout_done"),
    path("<str:number>/kontakt/", views.order_contact_edit, name="order_contact_edit"),
    path(
        "<str:number>/nachnutzungsvertrag.pdf",
        views.order_contract_pdf,
        name="order_contract_pdf",
    ),
]
