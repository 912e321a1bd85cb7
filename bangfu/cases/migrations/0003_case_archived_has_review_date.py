# Article 26: an archived episode always has its archive date and its next review date (filled by 0002).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_archived_households_get_review_dates'),
        ('registry', '0004_member_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['archived', 'helping', 'review']), _negated=True), models.Q(('archived_on__isnull', False), ('next_review_on__isnull', False)), _connector='OR'), name='case_archived_has_review_date'),
        ),
    ]
