"""返贫预警 from the household's own income: an exited household whose per-capita income fell below the 低保 line."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from bangfu.registry import choices as c
from bangfu.registry.models import Household, IncomeRecord

from .models import Alert, AlertKind, OpenState


def _standard(day: datetime.date, region: str) -> Decimal | None:
    from bangfu.cases.parameters import dibao_standard  # late: reads the database

    return dibao_standard(day, region)


@transaction.atomic
def relapse_scan(*, as_of: datetime.date) -> int:
    """Raise one alert per exited household and month whose recorded per-capita income in the latest month up to
    `as_of` is below the local 低保 standard (Article 26: 动态跟踪). Returns the number of new alerts."""
    exited = (Household.objects.filter(status=c.Status.EXITED)
              .annotate(size=Count("members", filter=Q(members__removed=False))).filter(size__gt=0))
    sizes = {h.pk: (h.size, h.region_code) for h in exited}
    totals: dict[int, tuple[datetime.date, Decimal]] = {}
    rows = (IncomeRecord.objects.filter(household_id__in=list(sizes), month__lte=as_of)
            .values("household_id", "month").annotate(total=Sum("amount")).order_by("household_id", "month"))
    by_household = defaultdict(list)
    for row in rows:
        by_household[row["household_id"]].append((row["month"], row["total"]))
    for pk, months in by_household.items():
        totals[pk] = months[-1]
    made = 0
    for pk, (month, total) in totals.items():
        size, region = sizes[pk]
        standard = _standard(month, region)
        per_capita = (total / size).quantize(Decimal("0.01"))
        key = f"income:{month:%Y-%m}"
        if standard is None or per_capita >= standard:
            continue
        if Alert.objects.filter(household_id=pk, kind=AlertKind.RELAPSE, key=key, state=OpenState.OPEN).exists():
            continue
        Alert.objects.create(household_id=pk, kind=AlertKind.RELAPSE, key=key,
                             message=f"返贫预警:已退出家庭{month:%Y年%m月}人均收入{per_capita}元,低于当地城市低保标准"
                                     f"{standard}元")
        made += 1
    return made
