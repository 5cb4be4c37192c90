"""The Celery application. Configuration lives in settings under the CELERY_ namespace."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitalmarkt.settings")

app = Celery("digitalmarkt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def connections_renew_when_old(**kwargs: Any) -> None:
    """Around each task what Django does around each request: close a connection that is
    broken or older than CONN_MAX_AGE, and health-check a kept one before its next use.
    (Celery's own closing is relaxed by CELERY_DB_REUSE_MAX; see settings.)"""
    close_old_connections()
