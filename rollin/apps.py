from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollinConfig(AppConfig):
    name = "rollin"
    verbose_name = _("Roll-in")

    def ready(self) -> None:
        # The catalog sits below the roll-in and cannot read it (see catalog.selectors).
        from catalog.selectors import (
            service_count_register,
            service_own_states_register,
            service_stages_register,
        )
        from geo.services import geodata_import_listener_add
        from orders.territory import orders_moved_listener_add
        from rollin.figures import figures_rebuild, figures_rebuild_territory
        from rollin.selectors import (
            service_live_count,
            service_ordered_count,
            service_stage_outline,
        )
        from rollin.service_states import service_states_for

        # Both read the maintained figures, so the catalog's cost does not grow with the orders.
        service_count_register("ordered_count", service_ordered_count)
        service_count_register("live_count", service_live_count)
        service_stages_register(service_stage_outline, select_related=("stage_template",))
        service_own_states_register(service_states_for)
        # A new Gebietsstand changes authorities' inhabitants, districts and ends: the coverage
        # figures of the imported states are rebuilt in the import's own transaction.
        geodata_import_listener_add(figures_rebuild_territory)
        # So does an operator's move of an ended municipality's orders to its successor.
        orders_moved_listener_add(figures_rebuild)
        _reference_watch()
        _copies_watch()


def _copies_watch() -> None:
    """A stage saved with another position, a user with another last name: the roll-ins'
    copies follow (rollin.pipeline). A save that names its fields and not these (a login's
    last_login) cannot have changed them and costs no query."""
    from django.contrib.auth import get_user_model
    from django.db.models import Model
    from django.db.models.signals import post_save

    from rollin.models import StageDefinition
    from rollin.pipeline import assignee_name_follow, stage_position_follow

    follows: dict[type[Model], tuple[str, Any]] = {
        StageDefinition: ("position", stage_position_follow),
        get_user_model(): ("last_name", assignee_name_follow),
    }

    def saved(sender: type, instance: Any, created: bool, **kwargs: Any) -> None:
        field, follow = follows[sender]
        update_fields = kwargs.get("update_fields")
        if not created and (update_fields is None or field in update_fields):
            follow(instance)

    for model in follows:
        post_save.connect(
            saved, sender=model, weak=False, dispatch_uid=f"copies:{model._meta.label}"
        )


def _reference_watch() -> None:
    """Every save or delete of what the figure pages name and weigh moves the reference
    version their cached fragments are keyed by (rollin.figure_versions). Bulk writers that
    send no signals move it themselves (catalog.responsibility, the figures' rebuild)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from portal.reference_version import reference_changed

    def changed(sender: type, **kwargs: object) -> None:
        reference_changed()

    for label in REFERENCE_MODELS:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"reference:{label}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"reference-:{label}")


REFERENCE_MODELS = (
    "catalog.Service",
    "catalog.ResponsibilityRule",
    "catalog.TaskTransfer",
    "catalog.Responsibility",
    "geo.State",
    # Named in the coordination's filters, whose choice lists are kept per version
    # (portal.choices).
    "geo.Region",
    "geo.District",
    "geo.Authority",
    "geo.Municipality",
    "rollin.StageTemplate",
    "rollin.StageDefinition",
    # Not on any page's figures, but the worker keeps the stages' item definitions per
    # version (rollin.pipeline.template_stages).
    "rollin.ItemDefinition",
)
