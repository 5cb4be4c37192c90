# Two maintained figures, per state × service: the live-day rows added up over their days
# (the trend reads its window only) and the district coverage rows added up over the state
# (the state totals read 800 rows, not 20,000). Like every figure table, they are filled by
# `manage.py rebuild_figures`, which `make setup` and the compose setup run after migrate.
#
# The live-day rows get an index by day, and the (status, due_at) index of the roll-ins the
# state, so that today's overdue count reads that index alone. The new index is built before
# the old one goes, so those reads never lack one.

import django.db.models.deletion
from django.db import migrations, models


def _per_state_and_service(name, counts, verbose_name, verbose_name_plural, constraint):
    return migrations.CreateModel(
        name=name,
        fields=[
            (
                "id",
                models.BigAutoField(
                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                ),
            ),
            *counts,
            (
                "service",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="+",
                    to="catalog.service",
                ),
            ),
            (
                "state",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to="geo.state"
                ),
            ),
        ],
        options={
            "verbose_name": verbose_name,
            "verbose_name_plural": verbose_name_plural,
            "constraints": [models.UniqueConstraint(fields=("state", "service"), name=constraint)],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_order_list_sort_indexes"),
        ("geo", "0005_order_list_sort_indexes"),
        ("rollin", "0021_item_index_by_rollin_and_stage"),
    ]

    operations = [
        _per_state_and_service(
            "LiveTotalFigure",
            [("live", models.IntegerField(default=0))],
            "Kennzahl Live gesamt",
            "Kennzahlen Live gesamt",
            "live_total_figure_key",
        ),
        _per_state_and_service(
            "StateCoverageFigure",
            [
                ("ordered", models.IntegerField(default=0)),
                ("live", models.IntegerField(default=0)),
                ("population_live", models.BigIntegerField(default=0)),
            ],
            "Kennzahl Abdeckung des Landes",
            "Kennzahlen Abdeckung des Landes",
            "state_coverage_figure_key",
        ),
        migrations.AddIndex(
            model_name="livedayfigure",
            index=models.Index(fields=["day"], name="live_day_by_day"),
        ),
        migrations.AddIndex(
            model_name="rollin",
            index=models.Index(fields=["status", "due_at", "state"], name="rollin_open_due"),
        ),
        migrations.RemoveIndex(model_name="rollin", name="rollin_roll_status_e5c53e_idx"),
    ]
