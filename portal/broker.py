"""The folders of the development broker (kombu's filesystem transport)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

FOLDER_OPTIONS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def broker_folders_ensure() -> None:
    """Create the filesystem broker's folders (`make run`'s broker without settings): kombu
    lists them and fails, in the worker and in every publish, when they are missing, which
    they are on a fresh clone. With Redis there are none."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in FOLDER_OPTIONS:
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
