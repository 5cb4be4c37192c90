from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollinConfig(AppConfig):
    name = "rollin"
    verbose_name = _("Roll-in")
