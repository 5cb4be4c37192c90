"""Migration operations the apps share."""

from __future__ import annotations

from typing import Any

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """An index only PostgreSQL gets: SQLite (development, tests) cannot order NULLs in an
    index, and sorts the few rows it holds without one. The migration state has the index
    on every database, so the models and their migrations agree."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)
