from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_removed

        from portal.security import forget_totp_seen

        authenticator_removed.connect(forget_totp_seen, dispatch_uid="portal.forget_totp_seen")
