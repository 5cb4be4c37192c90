from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Flächendeckung")

    def ready(self) -> None:
        # The roll-in's order panel links to the session booking beside the training item
        # without knowing this app (rollin.item_extras).
        from rollin.item_extras import item_extra_register
        from rollin.models import ItemDefinition

        item_extra_register(ItemDefinition.Role.TRAINING, "outreach/_book_link.html")
