# The order list sorted by due_at either way reads a page from an index (rollin.models).

from django.db import migrations

from portal.migration_operations import sorted_either_way_on_postgresql


class Migration(migrations.Migration):
    dependencies = [
        ("rollin", "0015_rollin_state_service_required"),
    ]

    operations = sorted_either_way_on_postgresql(
        "rollin", "due_at", first="rollin_due_first", last="rollin_due_last"
    )
