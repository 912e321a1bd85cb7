"""The audit table refuses UPDATE and DELETE in the database (triggers, bangfu/audit/db.py)."""

from django.db import migrations

from bangfu.audit.db import create_triggers, drop_triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
