"""Case endpoints: open, each move of the workflow, reviews, follow-ups, Article 2 targets; plans in plans_api."""

from __future__ import annotations

from ninja import Router, Status

from bangfu.accounts.selectors import organisation_list
from bangfu.common import clock
from bangfu.common.bounds import Count, Day, DbId, Year
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.common.paging import api_page, page_schema
from bangfu.registry.models import Document
from bangfu.registry.selectors import household_get

from . import selectors, services
from .plans_api import router as plans_router
from .presenters import case_out, followup_out
from .reviews import exit_suggestion, followups_due, overdue_reviews
from .schemas import (
    ArchiveIn,
    CaseOut,
    FollowUpIn,
    FollowUpOut,
    MoveIn,
    MoveOut,
    NoticeIn,
    OpenIn,
    ReasonMoveIn,
    VisitIn,
)
from .targets import article2_targets
from .workflow import TRANSITIONS, Move

router = Router(tags=["cases"])


def _move(request, case_id: DbId, service, **kwargs) -> dict:
    case = selectors.case_get(user=request.user, pk=case_id)
    return case_out(service(actor=request.user, case=case, **kwargs))


CasePage = page_schema(CaseOut, "CasePage")
FollowUpPage = page_schema(FollowUpOut, "FollowUpPage")


@router.get("", response=CasePage, summary="帮扶档案列表(分页)")
def case_list(request, state: str = "", household_id: DbId | None = None, page: Count = 1, per_page: Count = 50):
    cases = selectors.case_list(user=request.user, state=state, household_id=household_id)
    return api_page(cases, page=page, per_page=per_page, item=lambda c: case_out(c, events=False))


@router.post("", response={201: CaseOut}, summary="建立(或返贫后重新建立)帮扶档案")
def case_open(request, payload: OpenIn):
    household = household_get(user=request.user, pk=payload.household_id)
    return Status(201, case_out(services.case_open(actor=request.user, household=household, reason=payload.reason)))


@router.get("/{int:case_id}", response=CaseOut)
def case_detail(request, case_id: DbId):
    return case_out(selectors.case_get(user=request.user, pk=case_id))


@router.get("/{int:case_id}/moves", response=list[MoveOut], summary="当前用户现在可以办理的流转")
def case_moves(request, case_id: int):
    case = selectors.case_get(user=request.user, pk=case_id)
    return [{"name": m.name, "label": TRANSITIONS[m.name].label, "form": TRANSITIONS[m.name].form,
             "approval": m.approval, "blocked": m.blocked}
            for m in selectors.allowed_moves(user=request.user, household=case.household, case=case)
            if m.name in TRANSITIONS]


@router.post("/{int:case_id}/moves/{name}", response=CaseOut, summary="办理一项只需说明或原因的流转")
def case_move(request, case_id: int, name: str, payload: MoveIn):
    move = TRANSITIONS.get(name)
    if move is None:
        raise NotFound("没有这项流转")
    if move.form not in ("note", "reason"):
        raise ValidationFailed(f"「{move.label}」须使用其专门的接口", field="name")
    return _move(request, case_id, services.move_service(name), version=payload.version, reason=payload.reason)


def _move_endpoint(name: str, move: Move) -> None:
    """`POST /cases/{id}/<name>` for a move that takes only a note or a reason, made from its row of the table."""
    def endpoint(request, case_id, payload):
        return _move(request, case_id, services.move_service(name), version=payload.version, reason=payload.reason)

    endpoint.__name__ = f"case_{name}"
    endpoint.__annotations__ = {"case_id": DbId, "payload": ReasonMoveIn if move.form == "reason" else MoveIn}
    router.post(f"/{{int:case_id}}/{name.replace('_', '-')}", response=CaseOut,
                summary=move.label + ("(审核人)" if move.approval else ""))(endpoint)


for _name, _move_row in TRANSITIONS.items():
    if _move_row.form in ("note", "reason"):
        _move_endpoint(_name, _move_row)


@router.post("/{int:case_id}/visit", response=CaseOut, summary="登记入户核查与授权书")
def case_record_visit(request, case_id: DbId, payload: VisitIn):
    document = None
    if payload.authorisation_document_id is not None:
        document = Document.objects.restrict(request.user).filter(pk=payload.authorisation_document_id).first()
        if document is None:
            raise NotFound("未找到该材料")
    return _move(request, case_id, services.case_record_visit, version=payload.version,
                 visited_on=payload.visited_on, notes=payload.notes,
                 authorisation_signed_on=payload.authorisation_signed_on, authorisation_document=document)


@router.post("/{int:case_id}/start-notice", response=CaseOut, summary="开始公示")
def case_start_notice(request, case_id: DbId, payload: NoticeIn):
    return _move(request, case_id, services.case_start_notice, version=payload.version, start=payload.start,
                 end=payload.end)


@router.post("/{int:case_id}/archive", response=CaseOut, summary="审批建档(审核人)")
def case_archive(request, case_id: DbId, payload: ArchiveIn):
    return _move(request, case_id, services.case_archive, version=payload.version, category=payload.category,
                 reason=payload.reason, override_reason=payload.override_reason)


@router.get("/{int:case_id}/exit-suggestion", summary="退出建议(仅为建议,不自动退出)")
def case_exit_suggestion(request, case_id: DbId, as_of: Day | None = None):
    case = selectors.case_get(user=request.user, pk=case_id)
    return exit_suggestion(case.household, as_of or clock.today())


@router.get("/reviews/due", response=CasePage, summary="到期或逾期未复核的档案(分页)")
def reviews_due(request, as_of: Day | None = None, page: Count = 1, per_page: Count = 50):
    cases = overdue_reviews(user=request.user, as_of=as_of or clock.today())
    return api_page(cases, page=page, per_page=per_page, item=lambda c: case_out(c, events=False))


@router.get("/followups/due", response=FollowUpPage, summary="到期未回访的退出家庭(分页)")
def followup_list(request, as_of: Day | None = None, page: Count = 1, per_page: Count = 50):
    due = followups_due(user=request.user, as_of=as_of or clock.today())
    return api_page(due, page=page, per_page=per_page, item=followup_out)


@router.post("/followups/{int:followup_id}", response=FollowUpOut, summary="登记退出回访")
def followup_record(request, followup_id: DbId, payload: FollowUpIn):
    followup = selectors.followup_get(user=request.user, pk=followup_id)
    return followup_out(services.followup_record(actor=request.user, followup=followup, **payload.dict()))


@router.get("/targets", summary="第2条目标任务完成情况")
def targets(request, union_id: DbId | None = None, year: Year | None = None, as_of: Day | None = None):
    union = request.user.organisation
    if union_id is not None:
        union = organisation_list(user=request.user).filter(pk=union_id).first()
    if union is None:
        raise NotFound("未找到该工会")
    as_of = as_of or clock.today()
    return article2_targets(user=request.user, union=union, year=year or as_of.year, as_of=as_of)


router.add_router("", plans_router)
