"""Root URLs. German paths for people; /api/ for machines."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
    path("konto/behoerde/", include("accounts.urls")),
    path("leistungen/", include("catalog.urls")),
    path("eroeffnung/", include("catalog.opening_urls")),  # operators open a further state
    path("bestellungen/", include("rollin.order_urls")),  # orders' pages and rollin's order pages
    path("rollin/", include("rollin.urls")),
    path("koordination/", include("dashboard.urls")),
    path("berichte/", include("reports.urls")),
    path("api/v1/", include("catalog.api_urls")),
    path("api/v1/coverage/", include("reports.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The admin signs in only through /konto/login/ (accounts.admin_site.PortalAdminSite).
    path("betrieb/", admin.site.urls),
]
