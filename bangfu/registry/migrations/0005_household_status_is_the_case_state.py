"""The household's status names the case workflow's states (bangfu.registry.states, filled by the cases app)
instead of keeping its own list: the choices and default become callables, and the status check goes, because
the status is only ever copied from Case.state, whose own constraint (case_state_valid) still checks it. No data
changes."""

import bangfu.registry.states
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0004_member_version'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='household',
            name='household_status_valid',
        ),
        migrations.AlterField(
            model_name='household',
            name='status',
            field=models.CharField(choices=bangfu.registry.states.choices, db_index=True, default=bangfu.registry.states.initial, max_length=24, verbose_name='状态'),
        ),
    ]
