"""Root URLs. German paths for people; /api/ for machines."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts.views import language_set, profile
from dashboard.start_views import start_page

urlpatterns = [
    path("", include("portal.urls")),
    # Where signing in leads (LOGIN_REDIRECT_URL): each role's start page.
    path("start/", start_page, name="start"),
    # Before Django's own: a signed-in person's choice is stored for their e-mails too.
    path("i18n/setlang/", language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Named like allauth's account pages, beside which it sits in the account menu.
    path("konto/profil/", profile, name="account_profile"),
    path("konto/", include("allauth.urls")),
    path("konto/behoerde/", include("accounts.urls")),
    path("leistungen/", include("catalog.urls")),
    path("eroeffnung/", include("catalog.opening_urls")),  # operators open a further state
    path("bestellungen/", include("rollin.order_urls")),  # orders' pages and rollin's order pages
    path("rollin/", include("rollin.urls")),
    path("koordination/", include("dashboard.urls")),
    path("flaechendeckung/", include("outreach.urls")),
    path("berichte/", include("reports.urls")),
    path("api/v1/", include("catalog.api_urls")),
    path("api/v1/coverage/", include("reports.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The admin signs in only through /konto/login/ (accounts.admin_site.PortalAdminSite).
    path("betrieb/", admin.site.urls),
]
