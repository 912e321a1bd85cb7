"""Import jobs: upload (cheap checks at once), start (queued to Huey), run (check every row, then write or refuse)."""

from __future__ import annotations

import logging
import uuid
from pathlib import PurePath

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction

from bangfu.accounts.access import ADD, may
from bangfu.accounts.models import Organisation
from bangfu.audit.services import audit_log
from bangfu.common import clock
from bangfu.common.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from bangfu.common.storage import open_stored
from bangfu.registry.services.households import union_check

from . import files, limits
from .columns import HOUSEHOLD_SHEET, MEMBER_SHEET, is_example
from .importer import HouseholdChecker, split_csv
from .leases import job_claim, job_record_failure, lease_until
from .models import ImportJob, ImportMode, JobKind, JobState
from .progress import Progress
from .selectors import job_list
from .writer import result_csv, result_xlsx, write_all, write_clean

log = logging.getLogger(__name__)


def precheck(name: str, content: bytes) -> str:
    """What can be refused before queueing: type, size, a broken or bomb-like package, an unknown encoding."""
    return files.check_upload(name, content)


def store(job: ImportJob, name: str, content: bytes) -> None:
    job.original_name = PurePath(name).name[:200]
    job.file.save(f"{uuid.uuid4().hex}{PurePath(name).suffix.lower()}", ContentFile(content), save=False)


@transaction.atomic
def household_import_upload(*, actor, union: Organisation, name: str, content: bytes,
                            mode: str = ImportMode.ALL) -> ImportJob:
    """Receive a household file for `union` (the default where a row names no union); nothing is read into the registry yet."""
    if not may(actor, ADD):
        raise AccessDenied("您没有导入家庭档案的权限")
    union_check(actor, union)
    if mode not in ImportMode.values:
        raise ValidationFailed(f"导入方式无效:{mode}", field="mode")
    precheck(name, content)
    job = ImportJob(kind=JobKind.HOUSEHOLDS, union=union, mode=mode, created_by=actor)
    store(job, name, content)
    job.save()
    audit_log(actor=actor, action="exchange.upload", object_type="import_job", object_id=job.pk,
              area_path=union.path, after={"name": job.original_name, "size": len(content), "mode": mode})
    return job


def job_check_owner(actor, job: ImportJob) -> None:
    """A job is its uploader's; a household import is also seen by staff as `selectors.job_list` says."""
    if job.created_by_id == actor.pk:
        return
    if job.kind == JobKind.HOUSEHOLDS and job_list(user=actor).filter(pk=job.pk).exists():
        return
    raise NotFound("未找到该导入任务")


def import_start(*, actor, job: ImportJob) -> ImportJob:
    """Queue the job; a job already started is left alone. Not atomic: the worker must see the committed row."""
    job_check_owner(actor, job)
    if job.created_by_id != actor.pk and not may(actor, ADD):  # a job runs with its uploader's rights
        raise AccessDenied("只有上传人或有导入权限的人员可以开始该任务")
    # A failed job (the system's fault, not the file's) may be started again from the start.
    updated = ImportJob.objects.filter(pk=job.pk, state__in=(JobState.UPLOADED, JobState.FAILED)).update(
        state=JobState.QUEUED, lease_until=lease_until(), attempts=0, processed=0, message="", finished_at=None)
    if not updated:
        raise ValidationFailed("该任务已开始或已结束", field="state")
    from .tasks import run_job

    run_job(job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def import_retry_clean(*, actor, job: ImportJob) -> ImportJob:
    """The user's choice after a refused file: a new job on the same file that imports the clean households only,
    once per refused file. The refused job stays as it was, with its result file."""
    job_check_owner(actor, job)
    if not may(actor, ADD):
        raise AccessDenied("您没有导入家庭档案的权限")
    if job.kind != JobKind.HOUSEHOLDS or job.state != JobState.INVALID or job.mode != ImportMode.ALL:
        raise ValidationFailed("只有因有错误而未导入的家庭文件才能改为只导入无误的家庭", field="mode")
    if not job.error_rows:
        raise ValidationFailed("该文件本身无法读取(见任务说明),请修改后重新上传", field="mode")
    if not job.clean:
        raise ValidationFailed("该文件中没有无误的家庭,请按「错误」列修改后重新上传", field="mode")
    ImportJob.objects.select_for_update().only("pk").get(pk=job.pk)  # two clicks at once: the second waits here
    earlier = job.retries.order_by("pk").first()
    if earlier is not None:
        raise ValidationFailed(f"该文件已在第{earlier.pk}号任务中只导入无误的家庭,不能重复导入;请查看该任务",
                               field="mode")
    with job.file.open("rb") as fh:
        content = fh.read()
    retry = ImportJob(kind=JobKind.HOUSEHOLDS, union=job.union, mode=ImportMode.CLEAN_ONLY, created_by=actor,
                      retry_of=job)
    store(retry, job.original_name, content)
    retry.save()
    audit_log(actor=actor, action="exchange.upload", object_type="import_job", object_id=retry.pk,
              area_path=job.union.path, after={"name": retry.original_name, "size": len(content),
                                               "mode": ImportMode.CLEAN_ONLY, "retry_of": job.pk})
    return retry


@transaction.atomic
def job_result_open(*, actor, job: ImportJob) -> tuple[File, str]:
    """The job's result file (the upload with its 错误 column: full ID numbers) opened for download, and the name
    to give it; each download is audited. The caller closes the file (a FileResponse does)."""
    if not job_list(user=actor).filter(pk=job.pk).exists():
        raise NotFound("未找到该导入任务")
    if not job.result_file:
        raise NotFound("该任务没有结果文件")
    suffix = job.result_file.name.rsplit(".", 1)[-1]
    audit_log(actor=actor, action="exchange.result_download", object_type="import_job", object_id=job.pk,
              area_path=job.union.path, after={"kind": job.kind, "name": job.original_name})
    return open_stored(job.result_file, "该任务的结果文件已不在存储中,请重新导入或联系管理员"), f"结果-{job.pk}.{suffix}"


def _without_examples(sheet: files.Sheet) -> files.Sheet:
    """The sheet less the template's example rows (户编号 示例)."""
    kept = [(row, number) for row, number in zip(sheet.rows, sheet.numbers, strict=True) if not is_example(row)]
    sheet.rows, sheet.numbers = [r for r, _ in kept], [n for _, n in kept]
    return sheet


def _read(job: ImportJob):
    with job.file.open("rb") as fh:
        content = fh.read()
    sheets = {name: _without_examples(sheet) for name, sheet in
              files.read_upload(job.original_name, content, (HOUSEHOLD_SHEET, MEMBER_SHEET)).items()}
    if files.CSV_SHEET in sheets:
        sheet = sheets[files.CSV_SHEET]
        from .template import CSV_COLUMNS

        files.check_headers(sheet, tuple(c.header for c in CSV_COLUMNS if c.required))
        households, members, errors = split_csv(sheet)
        return [sheet], households, members, errors
    from .columns import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS

    files.check_headers(sheets[HOUSEHOLD_SHEET], tuple(c.header for c in HOUSEHOLD_COLUMNS if c.required))
    files.check_headers(sheets[MEMBER_SHEET], tuple(c.header for c in MEMBER_COLUMNS if c.required))
    return list(sheets.values()), sheets[HOUSEHOLD_SHEET], sheets[MEMBER_SHEET], {}


def _finish(job: ImportJob, state: str, **counts) -> None:
    for name, value in counts.items():
        setattr(job, name, value)
    job.state, job.finished_at = state, clock.now()
    job.save()


def run_household_import(job: ImportJob) -> None:
    job.state = JobState.VALIDATING
    job.save(update_fields=["state"])
    try:
        sheets, households, members, initial = _read(job)
    except DomainError as exc:
        _finish(job, JobState.INVALID, message=exc.message)
        return
    if not households.rows:
        _finish(job, JobState.INVALID, message="文件中没有家庭数据:请在表头下方逐行填写家庭和成员后重新上传")
        return
    # Every row is checked, then every household written: each phase has its own count (校验 rows of the file,
    # 写入 households), `processed` runs through both so the bar only moves forward. A CSV's household rows are
    # its member rows too: checked twice, counted once.
    flat = len(sheets) == 1 and sheets[0].name == files.CSV_SHEET
    rows = len(members.rows) if flat else len(households.rows) + len(members.rows)
    job.check_total, job.write_total = rows, len(households.rows)
    job.total = rows + len(households.rows)
    job.save(update_fields=["check_total", "write_total", "total"])
    progress = Progress(job.pk)
    try:
        skip = len(households.rows) if flat else 0
        checker = HouseholdChecker(actor=job.created_by, default_union=job.union, today=clock.today(),
                                   progress=lambda n: progress(max(n - skip, 0)))
        checked = checker.check(households, members, initial)
        if checked.errors and job.mode == ImportMode.ALL:
            _refuse(job, sheets, checked)
            return
        progress(rows)
        job.state, job.write_total = JobState.WRITING, len(checked.clean)
        job.total = rows + job.write_total
        job.save(update_fields=["state", "write_total", "total"])
        _write(job, sheets, checked, lambda n: progress(rows + n))
        progress(job.total)
    finally:
        progress.close()


def _refuse(job: ImportJob, sheets, checked) -> None:
    error_rows, clean = len(checked.errors), len(checked.clean)
    _attach_result(job, sheets, checked.errors)
    _finish(job, JobState.INVALID, processed=job.total, error_rows=error_rows, skipped=len(checked.households),
            clean=clean, message=f"共{error_rows}行有错误,未导入任何家庭(其中{clean}户无误)。请下载结果文件,按「错误」列修改后"
                    f"重新上传{',或选择只导入无误的家庭' if clean else ''}。")


def _write(job: ImportJob, sheets, checked, progress) -> None:
    """The households, the result file, the job's end and its audit row in one transaction: a failure anywhere
    leaves the registry as it was, as the failed job says (the writer's batches are savepoints inside it)."""
    try:
        with transaction.atomic():
            if job.mode == ImportMode.ALL:
                written, failed = write_all(job.created_by, job.pk, checked.clean, progress=progress), {}
            else:
                written, failed = write_clean(job.created_by, job.pk, checked.clean, progress=progress)
            skipped, error_rows = len(checked.households) - written, len(checked.errors)
            if checked.errors or failed:
                _attach_result(job, sheets, checked.errors, row_outcomes(sheets, checked, failed))
            message = f"已导入{written}户" + (f",{skipped}户因有错误未导入" if skipped else "")
            _finish(job, JobState.DONE, processed=job.total, error_rows=error_rows, written=written,
                    skipped=skipped, message=message)
            audit_log(actor=job.created_by, action="exchange.import", object_type="import_job", object_id=job.pk,
                      area_path=job.union.path, after={"written": written, "skipped": skipped, "errors": error_rows})
    except BaseException:
        if job.result_file:  # the file store is not rolled back with the database
            job.result_file.delete(save=False)
        raise


def row_outcomes(sheets, checked, failed: dict[str, str]) -> dict[tuple[str, int], str]:
    """What happened to each row of a file imported household by household (只导入无误的家庭): every row of a
    household says whether that household was imported and, if not, which of its rows (or what) kept it out; a row
    that belongs to no household says it was not imported (its 错误 says why)."""
    numbers = {sheet.name: sheet.numbers for sheet in sheets}
    named = len(sheets) > 1

    def where(refs: list[tuple[str, int]]) -> str:
        """「成员」表第6、7行 (in a CSV: 第6、7行)."""
        by_sheet: dict[str, list[int]] = {}
        for name, index in refs:
            by_sheet.setdefault(name, []).append(numbers[name][index])
        return "、".join((f"「{name}」表" if named else "") + f"第{'、'.join(map(str, rows))}行"
                        for name, rows in by_sheet.items())

    out: dict[tuple[str, int], str] = {}
    for household in checked.households:
        if household.number in failed:
            note = f"未导入:{failed[household.number]}"
        elif household.number in checked.bad_numbers:
            wrong = [ref for ref in household.rows if ref in checked.errors]
            note = f"未导入:本户{where(wrong)}有错误,整户未导入"
        else:
            note = f"已导入(户编号{household.number})"
        for ref in household.rows:
            out[ref] = note
    for sheet in sheets:
        for index in range(len(sheet.rows)):
            out.setdefault((sheet.name, index), "未导入:本行有错误" if (sheet.name, index) in checked.errors
                           else "未导入:本行不属于任何家庭")
    return out


def _attach_result(job: ImportJob, sheets, errors, outcomes: dict | None = None) -> None:
    """The upload returned with each row's errors (and, when some households were imported, each row's outcome)."""
    if len(sheets) == 1 and sheets[0].name == files.CSV_SHEET:
        content, suffix = result_csv(sheets[0], errors, outcomes), ".csv"
    else:
        content, suffix = result_xlsx(sheets, errors, outcomes), ".xlsx"
    job.result_file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(content), save=False)


def run(job_id: int) -> None:
    """The worker's entry point: claim the job (with a lease), run it, and whatever fails, the registry stays as it
    was and the job says so. Every database call is inside the handling: a dropped connection fails the job on a
    fresh one instead of leaving it queued."""
    try:
        if not job_claim(job_id):
            return  # taken by another delivery of the task, or no longer queued
        job = ImportJob.objects.select_related("union", "created_by").get(pk=job_id)
        limits.apply_worker_memory_limit()
        if job.kind == JobKind.HOUSEHOLDS:
            run_household_import(job)
        else:
            from .departments.runner import run_department_job

            run_department_job(job)
    except MemoryError:
        log.error("import job %s ran out of memory", job_id)
        job_record_failure(job_id, limits.MEMORY_MESSAGE)
    except Exception:
        log.exception("import job %s failed", job_id)
        job_record_failure(job_id, "处理失败:系统错误,数据库未做任何修改。请稍后重试或联系管理员。")
