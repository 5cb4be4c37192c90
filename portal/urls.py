from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", views.imprint, name="imprint"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("nutzungsbedingungen/", views.terms, name="terms"),
    path("hilfe/", views.help_page, name="help"),
    path("benachrichtigungen/", views.notification_list, name="notifications"),
    path(
        "benachrichtigungen/gelesen/",
        views.notification_mark_all_read,
        name="notifications_mark_read",
    ),
    path("health/", views.health, name="health"),
]
