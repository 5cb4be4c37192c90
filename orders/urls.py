from __future__ import annotations

from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("warenkorb/", views.basket, name="basket"),
    path("warenkorb/hinzufuegen/", views.basket_add, name="basket_add"),
    path("warenkorb/<slug:slug>/entfernen/", views.basket_remove, name="basket_remove"),
    path("kasse/", views.checkout_start, name="checkout"),
    path("kasse/leistung/<slug:slug>/", views.checkout_service, name="checkout_service"),
    path("kasse/pruefen/", views.checkout_review, name="checkout_review"),
    path("kasse/bestaetigung/", views.checkout_done, name="checkout_done"),
    path("<str:number>/", views.order_detail, name="order_detail"),
    path("<str:number>/kontakt/", views.order_contact_edit, name="order_contact_edit"),
    path("<str:number>/kommentar/", views.order_comment_add, name="order_comment_add"),
    path("<str:number>/stornieren/", views.order_cancel, name="order_cancel"),
]
