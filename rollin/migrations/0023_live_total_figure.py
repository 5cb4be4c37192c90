# The live-day rows added up per state × service (rollin.models.LiveTotalFigure), filled from
# those rows: the same sums the transitions keep from now on. The live-day rows get an index
# by day: the trend reads those after its window start.

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum


def fill_from_live_days(apps, schema_editor):
    live_days = apps.get_model("rollin", "LiveDayFigure")
    live_total = apps.get_model("rollin", "LiveTotalFigure")
    sums = live_days.objects.values("state_id", "service_id").annotate(n=Sum("live")).order_by()
    live_total.objects.bulk_create(
        [
            live_total(state_id=row["state_id"], service_id=row["service_id"], live=row["n"])
            for row in sums
            if row["n"]
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_order_list_sort_indexes"),
        ("geo", "0005_order_list_sort_indexes"),
        ("rollin", "0022_open_due_index_with_state"),
    ]

    operations = [
        migrations.CreateModel(
            name="LiveTotalFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("live", models.IntegerField(default=0)),
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
                "verbose_name": "Kennzahl Live gesamt",
                "verbose_name_plural": "Kennzahlen Live gesamt",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("state", "service"), name="live_total_figure_key"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_from_live_days, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="livedayfigure",
            index=models.Index(fields=["day"], name="live_day_by_day"),
        ),
    ]
