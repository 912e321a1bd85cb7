"""The stored report figures become JSON text (`reports.codec`) instead of pickled objects. The rows stored before are
only a cache: they are dropped (never unpickled), and each report computes its figures again on its next view."""

from django.db import migrations, models


def drop_pickled(apps, schema_editor):
    apps.get_model("reports", "ReportSnapshot").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_report_snapshot'),
    ]

    operations = [
        migrations.RunPython(drop_pickled, migrations.RunPython.noop),
        migrations.RemoveField(model_name='reportsnapshot', name='data'),
        migrations.AddField(model_name='reportsnapshot', name='data', field=models.TextField(default='{}'),
                            preserve_default=False),
    ]
