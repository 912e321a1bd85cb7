# Every archived household has a review date (Article 26, issue 4): households filed in the archive by the
# registry alone (核定, data loading, the demo) get an episode in their state, taken over with its archive date and
# the review due after it; archived episodes adopted without dates get them too. The next migration then holds
# every archived episode to a review date in the database.

import calendar
import datetime

from django.db import migrations
from django.db.models import Max, Q
from django.utils import timezone

ARCHIVED = ["archived", "helping", "review"]
CLOSED = ["exited", "refused", "relieved"]
INTERVAL = "sync.review.interval_months"
REASON = "数据迁移:按原有档案建档,复核日期按建档日期和复核周期确定"
BATCH = 2000


def _interval(apps):
    """The review interval as every assessment sees it: the engine's YAML with the administrators' values."""
    from bangfu.policy.parameters import Value, default_parameters

    parameters = default_parameters()
    for row in apps.get_model("standards", "StandardValue").objects.filter(parameter=INTERVAL).order_by("start", "id"):
        value = None if row.value is None else float(row.value)
        parameters = parameters.with_value(INTERVAL, row.region_code,
                                           Value(row.start, value, {"document": row.document}, row.status))
    return parameters[INTERVAL]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """A copy of `cases.parameters.add_months` as it stood: a migration does not follow later changes of app code."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _review(interval, day: datetime.date, region: str) -> datetime.date:
    value = interval.at(day, region) or interval.at(timezone.localdate(), region)  # older than the first value
    months = int(value.value) if value is not None and value.value is not None else 12
    return _add_months(day, months)


def _archive_dates(apps, households) -> dict:
    """The last 核定 in the audit log, else the registration: the earlier guess errs towards a review due sooner."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ids = [str(h.pk) for h in households]
    verified = dict(AuditEntry.objects.filter(object_type="household", action="household.verify", object_id__in=ids)
                    .values("object_id").annotate(last=Max("at")).values_list("object_id", "last"))
    return {h.pk: timezone.localdate(verified.get(str(h.pk)) or h.created_at) for h in households}


def _take_over(apps, households, interval, now) -> None:
    Case, CaseEvent = apps.get_model("cases", "Case"), apps.get_model("cases", "CaseEvent")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    days = _archive_dates(apps, households)
    last = {}
    for row in Case.objects.filter(household__in=households).order_by("household_id", "episode").values(
            "household_id", "episode", "id"):
        last[row["household_id"]] = row
    cases = Case.objects.bulk_create([
        Case(household_id=h.pk, episode=last[h.pk]["episode"] + 1 if h.pk in last else 1,
             previous_id=last[h.pk]["id"] if h.pk in last else None, state=h.status, category=h.verified_category,
             opened_at=now, archived_on=days[h.pk], next_review_on=_review(interval, days[h.pk], h.region_code))
        for h in households
    ])
    paths = {h.pk: h.union.path for h in households}
    data = [{"category": case.category, "archived_on": case.archived_on.isoformat(),
             "next_review_on": case.next_review_on.isoformat(), "source": "migration"} for case in cases]
    CaseEvent.objects.bulk_create([
        CaseEvent(case_id=case.pk, at=now, action="take_over", to_state=case.state, reason=REASON, data=d, version=1)
        for case, d in zip(cases, data, strict=True)
    ])
    AuditEntry.objects.bulk_create([
        AuditEntry(at=now, actor_name="system", action="case.take_over", object_type="case", object_id=str(case.pk),
                   area_path=paths[case.household_id], after={"state": case.state, "version": 1, "reason": REASON, **d})
        for case, d in zip(cases, data, strict=True)
    ])


def forwards(apps, schema_editor):
    Household, Case = apps.get_model("registry", "Household"), apps.get_model("cases", "Case")
    orphans = (Household.objects.filter(status__in=ARCHIVED)
               .exclude(pk__in=Case.objects.exclude(state__in=CLOSED).values("household_id"))
               .select_related("union").order_by("pk"))
    undated = (Case.objects.filter(state__in=ARCHIVED)
               .filter(Q(archived_on__isnull=True) | Q(next_review_on__isnull=True)).select_related("household"))
    if not orphans.exists() and not undated.exists():
        return
    interval, now = _interval(apps), timezone.now()
    households = list(orphans)
    for start in range(0, len(households), BATCH):
        _take_over(apps, households[start:start + BATCH], interval, now)
    for case in undated:
        if case.archived_on is None:
            case.archived_on = _archive_dates(apps, [case.household])[case.household_id]
        case.next_review_on = case.next_review_on or _review(interval, case.archived_on, case.household.region_code)
        case.save(update_fields=["archived_on", "next_review_on"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("cases", "0001_initial"),
        ("registry", "0004_member_version"),
        ("standards", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
