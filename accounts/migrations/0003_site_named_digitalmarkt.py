"""The site allauth names in its e-mails and pages ("von example.com", "eine E-Mail-Adresse
von example.com") is DigitalMarkt at the configured address, not Django's placeholder."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def site_name_portal(apps: Any, schema_editor: Any) -> None:
    site_model = apps.get_model("sites", "Site")
    domain = urlsplit(settings.PORTAL_BASE_URL).netloc or "digitalmarkt.example"
    site_model.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.PORTAL_SITE_NAME}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(site_name_portal, migrations.RunPython.noop)]
