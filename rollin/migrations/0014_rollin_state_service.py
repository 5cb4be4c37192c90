# The roll-in keeps copies of its order's state and service (rollin.models.Rollin): added
# empty, filled from the orders, and required in 0015 (PostgreSQL cannot alter a table with
# pending foreign-key checks in the transaction that filled it).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Rollin = apps.get_model("rollin", "Rollin")
    Order = apps.get_model("orders", "Order")
    of_order = Order.objects.filter(pk=OuterRef("order_id"))
    Rollin.objects.update(
        state_id=Subquery(of_order.values("authority__state_id")[:1]),
        service_id=Subquery(of_order.values("service_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_service_offering"),
        ("geo", "0004_state_opening"),
        ("orders", "0005_territory_change_proxy"),
        ("rollin", "0013_waiting_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollin",
            name="state",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="geo.state",
            ),
        ),
        migrations.AddField(
            model_name="rollin",
            name="service",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="catalog.service",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
