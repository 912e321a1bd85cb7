"""Alerts from the union's own records: 返贫预警 (an exited household whose per-capita income fell below the 困难
line again, the engine's income rule) and 重复享受 (the same person paid the same benefit in two households)."""

from __future__ import annotations

import datetime
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.db.models import Sum

from bangfu.audit.services import audit_log_many
from bangfu.cases.workflow import CaseState
from bangfu.ledger.models import LedgerEntry
from bangfu.policy.rules import income
from bangfu.registry.income import LinesByRegion, income_batch
from bangfu.registry.models import Household, Member

from .models import Alert, AlertKind, OpenState


def _audited(alerts: list[Alert]) -> int:
    """An audit row for each alert a scan raised (the system raised it, in the scan's transaction); their number."""
    paths = dict(Household.objects.filter(pk__in={a.household_id for a in alerts}).values_list("pk", "union__path"))
    return audit_log_many(actor=None, action="exchange.alert_raise", object_type="household", rows=(
        {"object_id": a.household_id, "area_path": paths[a.household_id],
         "after": {"alert": a.pk, "kind": a.kind, "member": a.member_id, "message": a.message}} for a in alerts))


@transaction.atomic
def relapse_scan(*, as_of: datetime.date) -> int:
    """Raise one alert per exited household and month when its per-capita income in the last whole month before
    `as_of`'s month is below the 困难 line again (the engine's income rule: what identification would propose;
    Article 26 动态跟踪). A month without records raises nothing. Returns the number of new alerts."""
    exited = Household.objects.filter(status=CaseState.EXITED)
    batch = income_batch(exited, as_of, 1)
    summary = income.income_summary(batch.incomes, batch.members, as_of, months=1)
    lines = LinesByRegion(as_of)
    hardship = np.array([-1 if lines[r].hardship is None else lines[r].hardship for r in batch.regions], np.int64)
    below = np.flatnonzero(summary.known & (hardship >= 0) & (summary.per_capita < hardship))
    month = income.window(as_of, 1)[0].astype(object)
    key = f"income:{month:%Y-%m}"
    ids = [batch.ids[i] for i in below]
    open_already = set(Alert.objects.filter(household_id__in=ids, kind=AlertKind.RELAPSE, key=key,
                                            state=OpenState.OPEN).values_list("household_id", flat=True))
    made = []
    for i in below:
        if batch.ids[i] in open_already:
            continue
        found = lines[batch.regions[i]]
        made.append(Alert(household_id=batch.ids[i], kind=AlertKind.RELAPSE, key=key,
                          message=f"返贫预警:已退出家庭{month:%Y年%m月}人均收入{income.yuan(summary.per_capita[i])}元,"
                                  f"低于困难职工家庭认定线{found.yuan('hardship')}元"
                                  f"(当地城市低保标准{found.yuan('dibao')}元)"))
    Alert.objects.bulk_create(made)
    return _audited(made)


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
    made = []
    for (_number, code), households in paid.items():
        if len(households) < 2:
            continue
        for household, (member_id, name, title) in households.items():
            others = "、".join(f"{pk}号" for pk in sorted(households) if pk != household)
            key = f"twice:{code}:{member_id}:{as_of.year}"
            if Alert.objects.filter(household_id=household, kind=AlertKind.DUPLICATE_BENEFIT, key=key).exists():
                continue  # raised before (open or resolved): the same finding is not raised again
            made.append(Alert.objects.create(
                household_id=household, member_id=member_id, kind=AlertKind.DUPLICATE_BENEFIT, key=key,
                message=f"重复享受:{name}{as_of.year}年在本户和{others}家庭均获发「{title}」,请核实"))
    return _audited(made)
