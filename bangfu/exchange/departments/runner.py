"""A department's upload: checked whole (nothing applied while any row is wrong), then matched by ID number among
the households of the officer's area, all in one transaction."""

from __future__ import annotations

import datetime
import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from bangfu.accounts.access import is_department_officer
from bangfu.audit.services import audit_log, audit_log_many
from bangfu.common import clock
from bangfu.common.errors import AccessDenied, DomainError, ValidationFailed
from bangfu.medical.services import medical_bill_from_department
from bangfu.registry.models import Member

from .. import files
from ..models import Alert, DepartmentFact, Disagreement, FactKind, ImportJob, JobKind, JobState, OpenState
from ..progress import Progress
from ..writer import result_csv, result_xlsx
from .facts import declared, row_facts
from .formats import FORMATS, Format, parse_row
from .rules import alert_for, disagreement_for

SHEET = "数据"
PROGRESS_EVERY = 500  # rows applied between two updates of the progress bar


@transaction.atomic
def department_upload(*, actor, name: str, content: bytes, as_of: datetime.date | None = None) -> ImportJob:
    """A department data officer's file of their own department; queued like an import."""
    if not is_department_officer(actor):
        raise AccessDenied("只有部门数据专员可以上传部门数据")
    from ..jobs import precheck, store

    precheck(name, content)
    day = as_of or clock.today()
    if day > clock.today():
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
    sheet = next(iter(files.read_upload(job.original_name, content, (SHEET,)).values()))
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


def _members(numbers: list[str], area: str) -> dict[str, Member]:
    """Each ID number's member in the households under `area` (the officer's organisation's path): the active one,
    else the latest (an exited household, for relapse warnings). Nobody outside the area is touched."""
    found: dict[str, Member] = {}
    for start in range(0, len(numbers), 5000):
        rows = (Member.objects.filter(id_number__in=numbers[start:start + 5000], removed=False,
                                      household__union__path__startswith=area)
                .select_related("household__union").order_by("id_number", "-active", "-id"))
        for member in rows:
            found.setdefault(member.id_number, member)
    return found


def _apply(job: ImportJob, member: Member, kind: str, key: str, value: dict, day: datetime.date) -> int:
    fact, _ = DepartmentFact.objects.update_or_create(
        member=member, kind=kind, key=key,
        defaults={"household": member.household, "department": job.department, "value": value,
                  "declared": declared(kind, member), "source_date": day, "job": job, "recorded_at": clock.now()})
    fact.member, fact.household = member, member.household
    if kind == FactKind.HOSPITAL:  # 医保's stay fills in the member's bill, settled beside 医保's figures
        medical_bill_from_department(actor=job.created_by, member=member, key=key, value=value, day=day)
    flags = _flag(fact)
    alert = alert_for(fact)
    if alert and not Alert.objects.filter(household=member.household, kind=alert[0], key=alert[1],
                                          state=OpenState.OPEN).exists():
        raised = Alert.objects.create(household=member.household, member=member, kind=alert[0], key=alert[1],
                                      message=alert[2])
        audit_log(actor=job.created_by, action="exchange.alert_raise", object_type="household",
                  object_id=member.household_id, area_path=member.household.union.path,
                  after={"alert": raised.pk, "kind": raised.kind, "member": member.pk, "message": raised.message,
                         "job": job.pk})
    return flags


def _flag(fact: DepartmentFact) -> int:
    """1 when the fact opens a new disagreement. An open one is brought up to date; one already resolved or
    overridden on the same department data is not opened again (different data are news, and flag again)."""
    found = disagreement_for(fact)
    if not found:
        return 0
    kind, message = found
    same = Disagreement.objects.filter(member=fact.member, kind=kind)
    open_one = same.filter(state=OpenState.OPEN).first()
    if open_one is not None:
        open_one.fact, open_one.message, open_one.reported = fact, message, fact.value
        open_one.save(update_fields=["fact", "message", "reported"])
        return 0
    closed = same.filter(state__in=(OpenState.RESOLVED, OpenState.OVERRIDDEN)).values_list("reported", flat=True)
    if any(reported == fact.value for reported in closed):
        return 0
    Disagreement.objects.create(household=fact.household, member=fact.member, fact=fact, kind=kind, message=message,
                                declared=fact.declared, reported=fact.value)
    return 1


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
        job.state, job.message, job.finished_at = JobState.INVALID, exc.message, clock.now()
        job.save()
        return
    if not sheet.rows:
        job.state, job.message, job.finished_at = JobState.INVALID, "文件中没有数据行", clock.now()
        job.save()
        return
    job.total = len(sheet.rows)  # the bar counts the rows applied
    job.save(update_fields=["total"])
    parsed, errors = _check(fmt, sheet, job.as_of)
    if errors:
        _attach(job, sheet, errors)
        job.state, job.processed, job.error_rows = JobState.INVALID, job.total, len(errors)
        job.message = f"共{len(errors)}行有错误,未采用任何数据。请下载结果文件,按「错误」列修改后重新上传。"
        job.finished_at = clock.now()
        job.save()
        return
    job.state = JobState.WRITING
    job.save(update_fields=["state"])
    progress = Progress(job.pk)
    try:
        _apply_all(job, parsed, progress)
    finally:
        progress.close()


def _apply_all(job: ImportJob, parsed: list, progress: Progress) -> None:
    """Every row in one transaction: a failure anywhere leaves no fact, flag or alert. The officer's `message`
    stays neutral whatever matched (they must not learn who is in the registry); the counts are for union staff."""
    members = _members(sorted({number for _, number, _ in parsed}), job.union.path)
    with transaction.atomic():
        flagged, touched, unmatched = 0, {}, 0
        for done, (_, number, facts) in enumerate(parsed, 1):
            member = members.get(number)
            if member is None:
                unmatched += 1
            else:
                touched[member.household_id] = member.household
                for kind, key, value, day in facts:
                    flagged += _apply(job, member, kind, key, value, day)
            if done % PROGRESS_EVERY == 0:
                progress(done)
        _audit(job, touched, flagged)
        job.state, job.processed, job.finished_at = JobState.DONE, job.total, clock.now()
        job.written, job.unmatched, job.flagged = len(parsed) - unmatched, unmatched, flagged
        job.message = f"已接收{len(parsed)}行,已按身份证号码交工会比对"
        job.save()


def _audit(job: ImportJob, touched: dict, flagged: int) -> None:
    audit_log_many(actor=job.created_by, action="exchange.facts", object_type="household", rows=(
        {"object_id": pk, "area_path": household.union.path, "after": {"job": job.pk, "department": job.department}}
        for pk, household in touched.items()))
    audit_log(actor=job.created_by, action="exchange.department_apply", object_type="import_job", object_id=job.pk,
              area_path=job.union.path, after={"matched": len(touched), "flagged": flagged})
