# The order list sorted by status either way reads a page from an index (rollin.models).

from django.db import migrations

from portal.migration_operations import sorted_either_way_on_postgresql


class Migration(migrations.Migration):
    dependencies = [
        ("rollin", "0016_rollin_due_sort_indexes"),
    ]

    operations = sorted_either_way_on_postgresql(
        "rollin", "status", first="rollin_status_first", last="rollin_status_last"
    )
