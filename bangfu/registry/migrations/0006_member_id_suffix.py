"""The member's relation is named as on the form (与职工本人关系), and an index on the reversed ID number, so that a search by its last digits (`reverse(id_number) LIKE '…%'`) is an
index range scan like the search by its first digits; PostgreSQL only (SQLite's REVERSE is Django's own function)."""

from django.db import migrations, models

INDEX = "registry_member_id_suffix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_member (reverse(id_number) text_pattern_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_household_status_is_the_case_state")]

    operations = [
        migrations.AlterField(model_name="member", name="relation", field=models.CharField(
            choices=[("self", "本人"), ("spouse", "配偶"), ("child", "子女"), ("parent", "父母"), ("sibling", "兄弟姐妹"),
                     ("grandchild", "孙子女"), ("other", "其他")], max_length=12, verbose_name="与职工本人关系")),
        migrations.RunPython(create, drop, elidable=False),
    ]
