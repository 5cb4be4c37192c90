from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Leistungskatalog")

    def ready(self) -> None:
        from catalog.responsibility import responsibility_rebuild
        from geo.services import geodata_import_listener_add

        # A new Gebietsstand changes who is a Große Kreisstadt and which municipalities exist:
        # derive the responsibilities anew in the import's own transaction.
        geodata_import_listener_add(responsibility_rebuild)
