# The (status, due_at) index carries the state too, so that counting today's open roll-ins
# of some states reads the index alone (dashboard.selectors.overdue_until). The new index is
# built first, so those reads never lack one.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rollin", "0021_item_index_by_rollin_and_stage"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rollin",
            index=models.Index(
                fields=["status", "due_at"], include=("state",), name="rollin_open_due"
            ),
        ),
        migrations.RemoveIndex(
            model_name="rollin",
            name="rollin_roll_status_e5c53e_idx",
        ),
    ]
