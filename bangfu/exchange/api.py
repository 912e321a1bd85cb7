"""Exchange endpoints: template, imports and their progress, department uploads, facts, reports, alerts."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from bangfu.accounts.access import is_department_officer
from bangfu.accounts.selectors import organisation_list
from bangfu.common import clock
from bangfu.common.bounds import Day, DbId
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.common.paging import api_keyset_page, page_schema

from . import selectors, services
from .models import ImportMode
from .schemas import (
    AlertOut,
    DisagreementOut,
    FactOut,
    JobOut,
    NoteIn,
    alert_out,
    disagreement_out,
    fact_out,
    job_out,
)
from .template import household_template_csv, household_template_xlsx

router = Router(tags=["exchange"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _read(file: UploadedFile) -> bytes:
    if file.size > settings.EXCHANGE_MAX_BYTES:  # refused before the file is read into memory
        raise ValidationFailed(f"文件过大:不能超过{settings.EXCHANGE_MAX_BYTES // (1024 * 1024)}MB", field="file")
    return file.read()


def _job(request, job) -> dict:
    """A department data officer gets their view of a job: not what the matching found."""
    return job_out(job, for_officer=is_department_officer(request.user))


@router.get("/template.xlsx", summary="下载家庭批量导入模板(Excel)")
def template_xlsx(request: HttpRequest):
    response = HttpResponse(household_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="household-import.xlsx"'
    return response


@router.get("/template.csv", summary="下载家庭批量导入模板(CSV)")
def template_csv(request: HttpRequest):
    response = HttpResponse(household_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="household-import.csv"'
    return response


@router.post("/imports", response={201: JobOut}, summary="上传家庭批量导入文件并开始校验")
def import_upload(request, union_id: Form[int], file: File[UploadedFile], mode: Form[str] = ImportMode.ALL,
                  start: Form[bool] = True):
    union = organisation_list(user=request.user).filter(pk=union_id).first()
    if union is None:
        raise NotFound("未找到该工会")
    job = services.household_import_upload(actor=request.user, union=union, name=file.name, content=_read(file),
                                           mode=mode)
    if start:
        job = services.import_start(actor=request.user, job=job)
    return Status(201, _job(request, job))


@router.post("/jobs/{job_id}/start", response=JobOut)
def job_start(request, job_id: DbId):
    job = selectors.job_get(user=request.user, pk=job_id)
    return _job(request, services.import_start(actor=request.user, job=job))


JobPage = page_schema(JobOut, "JobPage", keyset=True)
AlertPage = page_schema(AlertOut, "AlertPage", keyset=True)


@router.get("/jobs", response=JobPage, summary="导入任务(分页)")
def job_list(request, page: int = 1, per_page: int = 50, after: int | None = None, before: int | None = None):
    """`after`/`before`: keyset cursors (the `next_after`/`previous_before` of a page) for deep pages."""
    return api_keyset_page(selectors.job_list(user=request.user), order=selectors.JOB_ORDER, page=page,
                           per_page=per_page, after=after, before=before, item=lambda j: _job(request, j))


@router.get("/jobs/{job_id}", response=JobOut, summary="任务进度")
def job_get(request, job_id: DbId):
    return _job(request, selectors.job_get(user=request.user, pk=job_id))


@router.get("/jobs/{job_id}/result", summary="下载带「错误」列的结果文件")
def job_result(request, job_id: DbId):
    job = selectors.job_get(user=request.user, pk=job_id)
    opened, filename = services.job_result_open(actor=request.user, job=job)
    return FileResponse(opened, as_attachment=True, filename=filename)


@router.post("/department-uploads", response={201: JobOut}, summary="部门数据专员上传本部门数据")
def department_upload(request, file: File[UploadedFile], as_of: Form[Day | None] = None):
    job = services.department_upload(actor=request.user, name=file.name, content=_read(file), as_of=as_of)
    job = services.import_start(actor=request.user, job=job)
    return Status(201, _job(request, job))


@router.get("/households/{household_id}/facts", response=list[FactOut])
def facts(request, household_id: DbId):
    return [fact_out(f) for f in selectors.fact_list(user=request.user, household_id=household_id)]


@router.get("/households/{household_id}/disagreements", response=list[DisagreementOut])
def disagreements(request, household_id: DbId, state: str = ""):
    qs = selectors.disagreement_list(user=request.user, household_id=household_id, state=state)
    return [disagreement_out(d) for d in qs]


@router.get("/households/{household_id}/report", summary="核对报告")
def report(request, household_id: DbId, as_of: Day | None = None):
    return selectors.verification_report(user=request.user, household_id=household_id,
                                         as_of=as_of or clock.today())


@router.post("/disagreements/{pk}/resolve", response=DisagreementOut)
def disagreement_resolve(request, pk: DbId, payload: NoteIn):
    item = selectors.disagreement_get(user=request.user, pk=pk)
    return disagreement_out(services.disagreement_resolve(actor=request.user, disagreement=item, note=payload.note))


@router.get("/alerts", response=AlertPage, summary="预警(分页)")
def alerts(request, include_resolved: bool = False, page: int = 1, per_page: int = 50, after: int | None = None,
           before: int | None = None):
    """`after`/`before`: keyset cursors (the `next_after`/`previous_before` of a page) for deep pages."""
    return api_keyset_page(selectors.alerts_for(request.user, include_resolved=include_resolved),
                           order=selectors.ALERT_ORDER, page=page, per_page=per_page, after=after, before=before,
                           item=alert_out)


@router.post("/alerts/{pk}/resolve", response=AlertOut)
def alert_resolve(request, pk: DbId, payload: NoteIn):
    alert = selectors.alert_get(user=request.user, pk=pk)
    return alert_out(services.alert_resolve(actor=request.user, alert=alert, note=payload.note))
