# A roll-in's items at a stage get one index on both columns (the worker reads them every
# step); the roll-in's own index goes, since this one and one_item_per_definition begin with
# it. The new index is built first, so those reads never lack one.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rollin", "0020_assignee_last_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rollinitem",
            index=models.Index(fields=["rollin", "stage"], name="rollin_item_at_stage"),
        ),
        migrations.AlterField(
            model_name="rollinitem",
            name="rollin",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="rollin.rollin",
            ),
        ),
    ]
