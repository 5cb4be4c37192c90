"""The Celery application. Configuration lives in settings under the CELERY_ namespace."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalmarkt.settings")

app = Celery("digitalmarkt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
