"""Every URL of the orders namespace (/bestellungen/): orders' own pages (basket, checkout
steps, contact data) and, after their fixed paths, the order pages that are rollin's because
they show or drive the roll-in (rollin/order_views.py). Composed here, in the layer above
orders, so that one namespace keeps every order URL and orders imports nothing of rollin."""

from __future__ import annotations

from django.urls import path

from orders.urls import urlpatterns as ordering_pages
from rollin import order_views as views

app_name = "orders"

urlpatterns = [
    *ordering_pages,
    path("", views.order_list, name="order_list"),
    path("kasse/pruefen/", views.checkout_review, name="checkout_review"),
    path("<str:number>/", views.order_detail, name="order_detail"),
    path("<str:number>/kommentar/", views.order_comment_add, name="order_comment_add"),
    path("<str:number>/stornieren/", views.order_cancel, name="order_cancel"),
]
