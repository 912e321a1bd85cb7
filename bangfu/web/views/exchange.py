"""Data exchange pages: household imports with their progress, department uploads, templates and samples."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from bangfu.accounts.access import ADD, is_department_officer, may
from bangfu.accounts.models import Department
from bangfu.common import clock
from bangfu.common.errors import DomainError
from bangfu.common.paging import keyset_page
from bangfu.exchange import selectors, services
from bangfu.exchange.departments.formats import FORMATS
from bangfu.exchange.models import JobKind, JobState
from bangfu.exchange.schemas import job_out
from bangfu.exchange.template import household_template_csv, household_template_xlsx

from ..access import is_htmx, page, pager_query
from ..forms.exchange import DepartmentUploadForm, HouseholdImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAMPLES = Path(__file__).resolve().parents[2] / "exchange" / "samples"
RECENT = 20  # jobs listed under the upload form
RUNNING = (JobState.UPLOADED, JobState.QUEUED, JobState.VALIDATING, JobState.WRITING)
WAITING = (JobState.UPLOADED, JobState.QUEUED)
STUCK_MINUTES = 3  # a job still waiting after this long: the worker is probably not running


def _officer_only(user) -> None:
    if not is_department_officer(user):
        raise PermissionDenied("只有部门数据专员可以报送部门数据")


def _jobs_context(request) -> dict:
    """The user's uploads, newest first, RECENT a page (keyset pagination: the list grows without end)."""
    result = keyset_page(selectors.job_list(user=request.user).select_related("union", "created_by"),
                         order=selectors.JOB_ORDER, page=request.GET.get("page"), per_page=RECENT,
                         after=request.GET.get("after"), before=request.GET.get("before"), count=False)
    return {"jobs": result.items, "result": result, "query": pager_query(request), "list_url": request.path}


def _start(request, upload):
    """Upload then queue; a refusal is shown on the form's file field and nothing is kept."""
    job = upload()
    return services.import_start(actor=request.user, job=job)


@page(ADD)
def imports(request):
    """批量导入: the template, the upload form, and the user's recent imports."""
    form = HouseholdImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            job = _start(request, lambda: services.household_import_upload(
                actor=request.user, union=form.unions[data["union"]], name=upload.name, content=upload.read(),
                mode=data["mode"]))
        except DomainError as exc:
            form.add_error("file" if exc.field in (None, "file") else None, exc.message)
        else:
            messages.success(request, f"已上传「{job.original_name}」。")
            return redirect("web:job_detail", pk=job.pk)
    return render(request, "web/exchange/imports.html", {"form": form, **_jobs_context(request)},
                  status=422 if form.errors else 200)


@page()
def department_data(request):
    """部门数据报送: a department data officer's upload of their department's file, with its format."""
    user = request.user
    _officer_only(user)
    form = DepartmentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = _start(request, lambda: services.department_upload(
                actor=user, name=upload.name, content=upload.read(), as_of=form.cleaned_data["as_of"]))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else "file", exc.message)
        else:
            messages.success(request, f"已上传「{job.original_name}」。")
            return redirect("web:job_detail", pk=job.pk)
    fmt = FORMATS.get(user.department)
    return render(request, "web/exchange/department.html",
                  {"form": form, **_jobs_context(request), "format": fmt, "department": Department(user.department).label,
                   "has_sample": (SAMPLES / f"{user.department}.csv").exists()},
                  status=422 if form.errors else 200)


def _job_context(request, job) -> dict:
    progress = job_out(job)
    waited = (clock.now() - job.created_at).total_seconds() // 60
    retry = job.retries.first()
    return {"job": job, "progress": progress, "running": job.state in RUNNING,
            "waiting_minutes": int(waited) if job.state in WAITING and waited >= STUCK_MINUTES else 0,
            "retry": retry,
            "can_retry": (retry is None and job.kind == JobKind.HOUSEHOLDS and job.state == JobState.INVALID
                          and job.mode == "all" and job.error_rows > 0 and job.clean > 0
                          and may(request.user, ADD)),
            # A job failed by the system (a worker stopped, a connection dropped) is started again by its uploader.
            "can_restart": job.state == JobState.FAILED and job.created_by_id == request.user.pk,
            "back": "web:department_data" if job.kind == JobKind.DEPARTMENT else "web:imports"}


@page()
def job_detail(request, pk: int):
    """One job: a progress bar that polls while the job runs, so a reload finds it where it is."""
    job = selectors.job_get(user=request.user, pk=pk)
    template = "web/exchange/_job_progress.html" if is_htmx(request) else "web/exchange/job.html"
    return render(request, template, _job_context(request, job))


@page()
def job_result(request, pk: int):
    job = selectors.job_get(user=request.user, pk=pk)
    handle, filename = services.job_result_open(actor=request.user, job=job)  # audited: the file has full ID numbers
    return FileResponse(handle, as_attachment=True, filename=filename)


@require_POST
@page()
def job_restart(request, pk: int):
    job = selectors.job_get(user=request.user, pk=pk)
    try:
        services.import_start(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "任务已重新开始。")
    return redirect("web:job_detail", pk=pk)


@require_POST
@page(ADD)
def job_retry_clean(request, pk: int):
    job = selectors.job_get(user=request.user, pk=pk)
    try:
        retry = _start(request, lambda: services.import_retry_clean(actor=request.user, job=job))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:job_detail", pk=pk)
    messages.success(request, "已开始只导入无误的家庭。")
    return redirect("web:job_detail", pk=retry.pk)


@page(ADD)
def import_template(request, fmt: str):
    if fmt == "xlsx":
        response = HttpResponse(household_template_xlsx(), content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(household_template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("没有这种模板")
    response["Content-Disposition"] = content_disposition_header(True, f"家庭批量导入模板.{fmt}")
    return response


@page()
def department_sample(request):
    """The sample file of the officer's own department (the formats are in docs/exchange-formats.md)."""
    _officer_only(request.user)
    path = SAMPLES / f"{request.user.department}.csv"
    if not path.exists():
        raise Http404("本部门没有样例文件")
    # Named as the officer sees the department (民政数据报送样例.csv): FileResponse sends it as RFC 5987 filename*.
    name = f"{Department(request.user.department).label}数据报送样例.csv"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="text/csv; charset=utf-8")
