from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Bestellungen")

    def ready(self) -> None:
        # The catalog sits below orders and cannot ask for the count itself (catalog.selectors).
        from catalog.selectors import service_count_register
        from orders.selectors import service_authorities_count

        service_count_register("ordered_count", service_authorities_count)
