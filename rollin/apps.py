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
        from rollin.selectors import service_live_count, service_stage_outline
        from rollin.service_states import service_states_for

        service_count_register("live_count", service_live_count)
        service_stages_register(service_stage_outline, select_related=("stage_template",))
        service_own_states_register(service_states_for)
