"""The audit trail: django-auditlog records who changed what (before/after) on the models
that matter, and who signed in or failed to. Registration happens here, in ready(), which is
the library's standard place, so every process (web, worker, shell) records the same."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Prüfprotokoll")

    def ready(self) -> None:
        from audit import logins, registration

        registration.register_audited_models()
        logins.connect()
