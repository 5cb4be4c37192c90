# The roll-in keeps a copy of its assignee's last name (rollin.models.Rollin
# .assignee_last_name): added, filled for the assigned roll-ins only (few; the others stay
# empty, so the table is not rewritten), and indexed for the order list sorted by assignee.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

from portal.migration_operations import sorted_either_way_on_postgresql


def backfill(apps, schema_editor):
    Rollin = apps.get_model("rollin", "Rollin")
    User = apps.get_model("accounts", "User")
    name = User.objects.filter(pk=OuterRef("assignee_id")).values("last_name")[:1]
    Rollin.objects.filter(assignee__isnull=False).update(assignee_last_name=Subquery(name))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("rollin", "0019_stage_position"),
    ]

    operations = [
        migrations.AddField(
            model_name="rollin",
            name="assignee_last_name",
            field=models.CharField(blank=True, editable=False, max_length=150, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        *sorted_either_way_on_postgresql(
            "rollin", "assignee_last_name", first="rollin_assignee_first", last="rollin_assignee_last"
        ),
    ]
