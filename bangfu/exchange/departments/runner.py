"""A department's upload: checked whole (nothing applied while any row is wrong), then matched by ID number."""

from __future__ import annotations

import datetime
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import Role
from bangfu.audit.models import AuditEntry
from bangfu.audit.services import audit_log
from bangfu.common.context import current_request_info
from bangfu.common.errors import AccessDenied, DomainError, ValidationFailed
from bangfu.registry.models import Member

from .. import files
from ..models import Alert, DepartmentFact, Disagreement, ImportJob, JobKind, JobState, OpenState
from ..writer import result_csv, result_xlsx
from .facts import declared, row_facts
from .formats import FORMATS, Format, parse_row
from .rules import alert_for, disagreement_for

SHEET = "数据"


@transaction.atomic
def department_upload(*, actor, name: str, content: bytes, as_of: datetime.date | None = None) -> ImportJob:
    """A department data officer's file of their own department; queued like an import."""
    if actor.role != Role.DEPARTMENT_OFFICER or not actor.department or actor.organisation_id is None:
        raise AccessDenied("只有部门数据专员可以上传部门数据")
    from ..jobs import precheck, store

    precheck(name, content)
    day = as_of or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationFailed("数据日期不能晚于今天", field="as_of")
    job = ImportJob(kind=JobKind.DEPARTMENT, department=actor.department, union=actor.organisation, as_of=day,
                    created_by=actor)
    store(job, name, content)
    job.save()
    audit_log(actor=actor, action="exchange.department_upload", object_type="import_job", object_id=job.pk,
              area_path=actor.organisation.path, after={"department": actor.department, "name": job.original_name})
    return job


def _read(job: ImportJob, fmt: Format) -> files.Sheet:
    with job.file.open("rb") as fh:
        content = fh.read()
    if files.extension_of(job.original_name) == "csv":
        sheet = files.read_csv(content)
    else:
        sheet = files.read_xlsx(content, (SHEET,))[SHEET]
    files.check_headers(sheet, tuple(col.header for col in fmt.columns if col.required))
    return sheet


def _check(fmt: Format, sheet: files.Sheet, as_of: datetime.date) -> tuple[list, dict]:
    parsed, errors, seen = [], {}, {}
    for index, row in enumerate(sheet.rows):
        values, problems = parse_row(fmt, row)
        if row.get("__extra__"):
            problems.append("该行的列数多于表头")
        if not problems:
            facts = row_facts(fmt.department, values, as_of)
            for kind, key, _, _ in facts:
                earlier = seen.setdefault((values[fmt.id_header], kind, key), index)
                if earlier != index:
                    problems.append(f"与第{sheet.numbers[earlier]}行重复")
            parsed.append((index, values[fmt.id_header], facts))
        if problems:
            errors[(sheet.name, index)] = problems
    return parsed, errors


def _members(numbers: list[str]) -> dict[str, Member]:
    """Each ID number's member: the active one, else the latest (an exited household, for relapse warnings)."""
    found: dict[str, Member] = {}
    for start in range(0, len(numbers), 5000):
        rows = (Member.objects.filter(id_number__in=numbers[start:start + 5000], removed=False)
                .select_related("household__union").order_by("id_number", "-active", "-id"))
        for member in rows:
            found.setdefault(member.id_number, member)
    return found


def _apply(job: ImportJob, member: Member, kind: str, key: str, value: dict, day: datetime.date) -> int:
    fact, _ = DepartmentFact.objects.update_or_create(
        member=member, kind=kind, key=key,
        defaults={"household": member.household, "department": job.department, "value": value,
                  "declared": declared(kind, member), "source_date": day, "job": job, "recorded_at": timezone.now()})
    fact.member, fact.household = member, member.household
    flags = 0
    found = disagreement_for(fact)
    if found:
        kind_code, message = found
        open_one = Disagreement.objects.filter(member=member, kind=kind_code, state=OpenState.OPEN).first()
        if open_one is None:
            Disagreement.objects.create(household=member.household, member=member, fact=fact, kind=kind_code,
                                        message=message, declared=fact.declared, reported=value)
            flags = 1
        else:
            open_one.fact, open_one.message, open_one.reported = fact, message, value
            open_one.save(update_fields=["fact", "message", "reported"])
    alert = alert_for(fact)
    if alert and not Alert.objects.filter(household=member.household, kind=alert[0], key=alert[1],
                                          state=OpenState.OPEN).exists():
        Alert.objects.create(household=member.household, member=member, kind=alert[0], key=alert[1],
                             message=alert[2])
    return flags


def _attach(job: ImportJob, sheet: files.Sheet, errors: dict) -> None:
    if sheet.name == files.CSV_SHEET:
        content, suffix = result_csv(sheet, errors), ".csv"
    else:
        content, suffix = result_xlsx([sheet], errors), ".xlsx"
    job.result_file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(content), save=False)


def run_department_job(job: ImportJob) -> None:
    fmt = FORMATS[job.department]
    job.state = JobState.VALIDATING
    job.save(update_fields=["state"])
    try:
        sheet = _read(job, fmt)
    except DomainError as exc:
        job.state, job.message, job.finished_at = JobState.INVALID, exc.message, timezone.now()
        job.save()
        return
    parsed, errors = _check(fmt, sheet, job.as_of)
    job.total = job.processed = len(sheet.rows)
    if errors:
        _attach(job, sheet, errors)
        job.state, job.error_rows, job.finished_at = JobState.INVALID, len(errors), timezone.now()
        job.message = f"共{len(errors)}行有错误,未采用任何数据。请下载结果文件,按「错误」列修改后重新上传。"
        job.save()
        return
    members = _members(sorted({number for _, number, _ in parsed}))
    with transaction.atomic():
        flagged, touched, unmatched = 0, {}, 0
        for _, number, facts in parsed:
            member = members.get(number)
            if member is None:
                unmatched += 1
                continue
            touched[member.household_id] = member.household
            for kind, key, value, day in facts:
                flagged += _apply(job, member, kind, key, value, day)
        _audit(job, touched, flagged)
        job.state, job.written, job.unmatched, job.flagged = JobState.DONE, len(parsed) - unmatched, unmatched, flagged
        job.message = f"匹配{job.written}行,未匹配{unmatched}行,发现{flagged}处不一致"
        job.finished_at = timezone.now()
        job.save()


def _audit(job: ImportJob, touched: dict, flagged: int) -> None:
    info = current_request_info()
    AuditEntry.objects.bulk_create([
        AuditEntry(actor=job.created_by, actor_name=job.created_by.username, ip=info.ip, user_agent=info.user_agent,
                   action="exchange.facts", object_type="household", object_id=str(pk),
                   area_path=household.union.path, after={"job": job.pk, "department": job.department})
        for pk, household in touched.items()])
    audit_log(actor=job.created_by, action="exchange.department_apply", object_type="import_job", object_id=job.pk,
              area_path=job.union.path, after={"matched": len(touched), "flagged": flagged})
