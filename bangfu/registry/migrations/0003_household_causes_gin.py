"""A GIN index on hardship_causes for the cause filter (jsonb @>); PostgreSQL only, SQLite has no GIN."""

from django.db import migrations

INDEX = "registry_household_causes_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_household USING gin (hardship_causes jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_case_states")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
