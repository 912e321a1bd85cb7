# Ledger entries are append-only below the ORM too: triggers refuse UPDATE and DELETE (SQLite or PostgreSQL).

from django.db import migrations

from bangfu.ledger.db import create_triggers, drop_triggers


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
