"""Alerts from the union's own records: 返贫预警 (an exited household whose per-capita income fell below the 低保
line) and 重复享受 (the same person paid the same benefit in two households)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from bangfu.ledger.models import LedgerEntry
from bangfu.registry import choices as c
from bangfu.registry.models import Household, IncomeRecord, Member

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


def _people(entries: list[dict]) -> dict[int, list[tuple[str, int, str]]]:
    """For each household with entries, its people as (ID number, member id, name): who shared in its benefits."""
    households = {e["household_id"] for e in entries}
    people: dict[int, list[tuple[str, int]]] = defaultdict(list)
    rows = Member.objects.filter(household_id__in=households, removed=False).values("household_id", "id_number", "pk",
                                                                                  "name")
    for row in rows:
        people[row["household_id"]].append((row["id_number"], row["pk"], row["name"]))
    return people


@transaction.atomic
def duplicate_benefit_scan(*, as_of: datetime.date) -> int:
    """重复享受 across households: the same person (by ID number) for whom the same benefit of the notice was paid
    in two households in the year of `as_of` (a member's benefit counts for that member, a household's for all its
    members). One alert per household, person and benefit; returns the number of new alerts."""
    entries = list(LedgerEntry.objects.filter(paid_on__year=as_of.year, paid_on__lte=as_of)
                   .exclude(measure__benefit_code="").filter(measure__isnull=False)
                   .values("household_id", "measure__benefit_code", "measure__member_id", "measure__title")
                   .annotate(total=Sum("amount")).filter(total__gt=0))
    if not entries:
        return 0
    people = _people(entries)
    members = {pk: (number, pk, name) for rows in people.values() for number, pk, name in rows}
    paid: dict[tuple[str, str], dict[int, tuple[int, str, str]]] = defaultdict(dict)
    for e in entries:
        code, member_id, household = e["measure__benefit_code"], e["measure__member_id"], e["household_id"]
        receivers = [members[member_id]] if member_id in members else people[household]
        for number, pk, name in receivers:
            paid[(number, code)][household] = (pk, name, e["measure__title"])
    made = 0
    for (_number, code), households in paid.items():
        if len(households) < 2:
            continue
        for household, (member_id, name, title) in households.items():
            others = "、".join(f"{pk}号" for pk in sorted(households) if pk != household)
            key = f"twice:{code}:{member_id}:{as_of.year}"
            if Alert.objects.filter(household_id=household, kind=AlertKind.DUPLICATE_BENEFIT, key=key).exists():
                continue  # raised before (open or resolved): the same finding is not raised again
            Alert.objects.create(household_id=household, member_id=member_id, kind=AlertKind.DUPLICATE_BENEFIT,
                                 key=key, message=f"重复享受:{name}{as_of.year}年在本户和{others}家庭均获发"
                                                  f"「{title}」,请核实")
            made += 1
    return made
