"""Migration operations the apps share."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


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


def indexes_sorted_either_way(
    column: str, *, first: str, last: str, ties: str = "order"
) -> list[models.Index]:
    """The two indexes of a list sorted by `column` either way, missing values last, `ties`
    descending breaking ties: a page is an index's first rows. Named once here for the
    model's Meta and its migration (sorted_either_way_on_postgresql)."""
    return [
        models.Index(models.F(column).asc(nulls_last=True), models.F(ties).desc(), name=first),
        models.Index(models.F(column).desc(nulls_last=True), models.F(ties).desc(), name=last),
    ]


def sorted_either_way_on_postgresql(
    model_name: str, column: str, *, first: str, last: str
) -> list[AddIndexOnPostgreSQL]:
    """indexes_sorted_either_way as migration operations (PostgreSQL only: NULLS LAST)."""
    return [
        AddIndexOnPostgreSQL(model_name=model_name, index=index)
        for index in indexes_sorted_either_way(column, first=first, last=last)
    ]
