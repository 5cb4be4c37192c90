# The coverage rows added up per state × service (rollin.models.StateCoverageFigure), filled
# from the district rows: the same sums the transitions keep from now on.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum

COUNTS = ("ordered", "live", "population_live")


def fill_from_districts(apps, schema_editor):
    by_district = apps.get_model("rollin", "CoverageFigure")
    by_state = apps.get_model("rollin", "StateCoverageFigure")
    sums = (
        by_district.objects.values("state_id", "service_id")
        .annotate(**{f"sum_{c}": Sum(c) for c in COUNTS})
        .order_by()
    )
    by_state.objects.bulk_create(
        [
            by_state(
                state_id=row["state_id"],
                service_id=row["service_id"],
                **{c: row[f"sum_{c}"] or 0 for c in COUNTS},
            )
            for row in sums
            if any(row[f"sum_{c}"] for c in COUNTS)
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_order_list_sort_indexes"),
        ("geo", "0005_order_list_sort_indexes"),
        ("rollin", "0023_live_total_figure"),
    ]

    operations = [
        migrations.CreateModel(
            name="StateCoverageFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ordered", models.IntegerField(default=0)),
                ("live", models.IntegerField(default=0)),
                ("population_live", models.BigIntegerField(default=0)),
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
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="geo.state",
                    ),
                ),
            ],
            options={
                "verbose_name": "Kennzahl Abdeckung des Landes",
                "verbose_name_plural": "Kennzahlen Abdeckung des Landes",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("state", "service"), name="state_coverage_figure_key"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_from_districts, migrations.RunPython.noop),
    ]
