"""Measures paid before they followed their payments: their delivered amount and state from the ledger, once."""

from django.db import migrations
from django.db.models import Sum


def forward(apps, schema_editor):
    from bangfu.ledger.measures import followed_status

    Measure = apps.get_model("cases", "Measure")
    LedgerEntry = apps.get_model("ledger", "LedgerEntry")
    totals = (LedgerEntry.objects.filter(measure__isnull=False).order_by().values("measure_id")
              .annotate(total=Sum("amount")).values_list("measure_id", "total"))
    for measure_id, total in totals:
        measure = Measure.objects.filter(pk=measure_id).only("status", "amount").first()
        status = followed_status(measure.status, measure.amount, total)
        Measure.objects.filter(pk=measure_id).update(delivered=total, status=status)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_measure_delivered"),
        ("ledger", "0002_append_only"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
