"""Household and member endpoints: each parses its input, calls one service or selector, returns a schema."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from bangfu.accounts.selectors import organisation_list
from bangfu.common import clock
from bangfu.common.bounds import Day, DbId
from bangfu.common.errors import NotFound, ValidationFailed

from . import selectors, services
from .assessment import household_entitlements
from .exports import household_export
from .presenters import household_list_item, household_out, member_out
from .schemas import (
    DocumentOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdPage,
    HouseholdPatch,
    IdNumberOut,
    IncomeIn,
    IncomeOut,
    MemberIn,
    MemberOut,
    MemberPatch,
    ReasonIn,
)

router = Router(tags=["households"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HouseholdFilters(Schema):
    q: str = ""
    region: str = ""
    union_id: DbId | None = None
    category: str = ""
    cause: str = ""
    status: str = ""


def _filters(request: HttpRequest, filters: HouseholdFilters) -> dict:
    data = filters.dict()
    union_id = data.pop("union_id")
    data["union"] = None
    if union_id is not None:
        data["union"] = organisation_list(user=request.user).filter(pk=union_id).first()
        if data["union"] is None:
            raise NotFound("未找到该工会")
    return data


@router.get("/households", response=HouseholdPage)
def household_list(request, filters: Query[HouseholdFilters], page: int = 1, per_page: int = 50,
                   after: int | None = None, before: int | None = None):
    """`after`/`before`: keyset cursors (the `next_after`/`previous_before` of a page) for deep pages."""
    result = selectors.household_list(user=request.user, page=page, per_page=per_page, after=after, before=before,
                                      **_filters(request, filters))
    return {"items": [household_list_item(h) for h in result.items], "total": result.total,
            "page": result.page, "per_page": result.per_page, "pages": result.pages,
            "next_after": result.after, "previous_before": result.before}


@router.get("/households/export.xlsx", summary="导出家庭列表(Excel,身份证号码已遮蔽)")
def household_list_export(request, filters: Query[HouseholdFilters]):
    content = household_export(user=request.user, **_filters(request, filters))
    response = HttpResponse(content, content_type=XLSX)
    name = f"households-{clock.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/households", response={201: HouseholdOut})
def household_create(request, payload: HouseholdIn):
    data = payload.dict(exclude={"union_id", "members"})
    union = organisation_list(user=request.user).filter(pk=payload.union_id).first()
    if union is None:
        raise ValidationFailed("所属工会不存在或不在您的管辖范围内", field="union_id")
    members = [m.dict(exclude_unset=True) for m in payload.members]
    household = services.household_create(actor=request.user, union=union, data=data, members=members)
    return Status(201, household_out(selectors.household_get(user=request.user, pk=household.pk)))


@router.get("/households/{int:household_id}", response=HouseholdOut)
def household_detail(request, household_id: DbId):
    return household_out(selectors.household_get(user=request.user, pk=household_id))


@router.patch("/households/{int:household_id}", response=HouseholdOut)
def household_update(request, household_id: DbId, payload: HouseholdPatch):
    household = selectors.household_get(user=request.user, pk=household_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.household_update(actor=request.user, household=household, data=data, version=version)
    return household_out(selectors.household_get(user=request.user, pk=household_id))


@router.get("/households/{int:household_id}/entitlements", summary="该户可享受的帮扶政策(引擎测算)")
def household_entitlement_list(request, household_id: DbId, as_of: Day | None = None):
    household = selectors.household_get(user=request.user, pk=household_id)
    return household_entitlements(household, as_of or clock.today())


@router.put("/households/{int:household_id}/incomes", response=IncomeOut, summary="登记某月某来源的收入")
def household_income_set(request, household_id: DbId, payload: IncomeIn):
    household = selectors.household_get(user=request.user, pk=household_id)
    record = services.income_set(actor=request.user, household=household, **payload.dict())
    return {"id": record.pk, "month": record.month, "source": record.source, "amount": record.amount}


@router.get("/households/{int:household_id}/members", response=list[MemberOut])
def household_members(request, household_id: DbId):
    household = selectors.household_get(user=request.user, pk=household_id)
    return [member_out(m) for m in household.active_members]


@router.post("/households/{int:household_id}/members", response={201: MemberOut})
def member_add(request, household_id: DbId, payload: MemberIn):
    household = selectors.household_get(user=request.user, pk=household_id)
    member = services.member_add(actor=request.user, household=household, data=payload.dict(exclude_unset=True))
    return Status(201, member_out(member))


@router.get("/members/{int:member_id}", response=MemberOut)
def member_detail(request, member_id: DbId):
    return member_out(selectors.member_get(user=request.user, pk=member_id))


@router.patch("/members/{int:member_id}", response=MemberOut)
def member_update(request, member_id: DbId, payload: MemberPatch):
    member = selectors.member_get(user=request.user, pk=member_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return member_out(services.member_update(actor=request.user, member=member, data=data, version=version))


@router.post("/members/{int:member_id}/remove", response=MemberOut, summary="移出家庭")
def member_remove(request, member_id: DbId, payload: ReasonIn):
    member = selectors.member_get(user=request.user, pk=member_id)
    return member_out(services.member_remove(actor=request.user, member=member, reason=payload.reason))


@router.post("/members/{int:member_id}/id-number", response=IdNumberOut, summary="查看完整身份证号码(记入审计)")
def member_id_number(request, member_id: DbId):
    member = selectors.member_get(user=request.user, pk=member_id)
    return {"id": member.pk, "id_number": services.member_id_number_reveal(actor=request.user, member=member)}


@router.post("/households/{int:household_id}/documents", response={201: DocumentOut})
def document_upload(request, household_id: DbId, doc_type: Form[str], file: File[UploadedFile]):
    household = selectors.household_get(user=request.user, pk=household_id)
    if file.size > settings.DOCUMENT_MAX_BYTES:  # refused before the file is read into memory
        raise ValidationFailed(f"文件不能超过{settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}MB", field="file")
    document = services.document_upload(actor=request.user, household=household, doc_type=doc_type,
                                        name=file.name, content=file.read())
    return Status(201, document)


@router.get("/documents/{int:document_id}", summary="下载证明材料")
def document_download(request, document_id: DbId):
    document = selectors.document_get(user=request.user, pk=document_id)
    return FileResponse(services.document_open(actor=request.user, document=document), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)
