# The case workflow's states (issue 4): the household's status follows its current case.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('registry', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='household',
            name='household_status_valid',
        ),
        migrations.AlterField(
            model_name='household',
            name='status',
            field=models.CharField(choices=[('draft', '申请'), ('submitted', '待核查'), ('verifying', '核查中'), ('public_notice', '公示中'), ('archived', '已建档'), ('helping', '帮扶中'), ('review', '复核中'), ('exited', '已退出'), ('relieved', '解困'), ('refused', '不予建档')], db_index=True, default='draft', max_length=24, verbose_name='状态'),
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'verifying', 'public_notice', 'archived', 'helping', 'review', 'exited', 'relieved', 'refused'])), name='household_status_valid'),
        ),
    ]
