"""Actions on a household file: reveal a full ID number (logged), documents, income (verification: cases.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from bangfu.accounts.access import CHANGE, VIEW, VIEW_ID_NUMBER
from bangfu.common.errors import ValidationFailed
from bangfu.registry import selectors, services

from ..access import page
from ..forms.other import DocumentForm, IncomeForm


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)


@require_POST
@page(VIEW_ID_NUMBER)
def member_id_number(request, pk: int):
    """The full number in place of the masked one; the registry writes the audit row."""
    member = selectors.member_get(user=request.user, pk=pk)
    number = services.member_id_number_reveal(actor=request.user, member=member)
    return HttpResponse(format_html('<span class="font-monospace id-full">{}</span>', number))


@require_POST
@page(CHANGE)
def document_upload(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk, action=CHANGE)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.DOCUMENT_MAX_BYTES:  # refused before the file is read into memory
                raise ValidationFailed(f"文件不能超过{settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}MB", field="file")
            services.document_upload(actor=request.user, household=household, doc_type=form.cleaned_data["doc_type"],
                                     name=upload.name, content=upload.read())
        except ValidationFailed as exc:
            messages.error(request, f"材料未上传:{exc.message}")
        else:
            messages.success(request, f"已上传材料:{upload.name}")
    else:
        _form_errors(request, form)
    return redirect("web:household_detail", pk=pk)


@page(VIEW)
def document_download(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk)
    return FileResponse(services.document_open(actor=request.user, document=document), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)


@require_POST
@page(CHANGE)
def income_set(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk, action=CHANGE)
    form = IncomeForm(request.POST)
    if form.is_valid():
        try:
            services.income_set(actor=request.user, household=household, **form.cleaned_data)
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "收入已登记,测算结果已更新。")
    else:
        _form_errors(request, form)
    return redirect("web:household_detail", pk=pk)
