"""From application to the archive (精准识别): open, submit, verify with a home visit, public notice, archive or refuse."""

from __future__ import annotations

import datetime

from django.db import transaction

from bangfu.accounts.access import CHANGE
from bangfu.cases.workflow import INACTIVE_STATES, CaseState
from bangfu.common import clock
from bangfu.common.clock import today
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.registry import choices as c
from bangfu.registry.models import Document, Household

from ..models import Case
from ..parameters import next_review
from ..workflow import check_guard
from .common import archive_checks, begin, check_area, finish, log_event, required_reason
from .household_state import household_follow_case


def _adopt(actor, household: Household) -> Case:
    """A household filed before the case workflow (or by the registry alone) gets a case in its present state;
    an archived one with its archive and review dates."""
    from .takeover import adopted_review_fields  # late: takeover builds on these services

    case = Case.objects.create(household=household, state=household.status, category=household.verified_category,
                               opened_by=actor, **adopted_review_fields(household))
    log_event(actor=actor, case=case, action="adopt", to_state=case.state, reason="按现有档案状态建立帮扶档案")
    return case


@transaction.atomic
def case_open(*, actor, household: Household, reason: str = "") -> Case:
    """Open the household's next episode (申请). After an exit, it is a relapse (返贫) linked to the last one."""
    check_area(actor, household.union.path, CHANGE, "未找到该家庭档案")
    Household.objects.select_for_update().filter(pk=household.pk).first()
    last = household.cases.order_by("-episode").first()
    if last is None and household.status != CaseState.DRAFT:
        last = _adopt(actor, household)
        if last.state not in INACTIVE_STATES:
            return last
    if last is not None and last.state not in INACTIVE_STATES:
        raise Conflict(f"该家庭已有进行中的档案(第{last.episode}次建档,{last.get_state_display()})",
                       field="household", extra={"case_id": last.pk})
    if last is not None:
        reason = required_reason(reason, "重新申请的原因")
    case = Case.objects.create(
        household=household, episode=(last.episode + 1) if last else 1, previous=last,
        is_relapse=bool(last and last.state == CaseState.EXITED), opened_by=actor,
    )
    log_event(actor=actor, case=case, action="open", to_state=case.state, reason=reason,
              data={"previous": last.pk if last else None, "relapse": case.is_relapse})
    if household.status != case.state:
        household_follow_case(actor=actor, case=case)
    return case


def _has_worker(case: Case) -> None:
    if not case.household.members.filter(removed=False, relation=c.Relation.SELF).exists():
        raise ValidationFailed("档案中没有职工本人,不能办理", field="members")


@transaction.atomic
def case_submit(*, actor, case: Case, version: int, reason: str = "") -> Case:
    """申请 → 待核查. The submitter may not approve this case later (four eyes)."""
    case = begin(actor=actor, case=case, version=version, name="submit")
    _has_worker(case)
    case.submitted_by, case.submitted_at = actor, clock.now()
    return finish(actor=actor, case=case, name="submit", reason=reason)


@transaction.atomic
def case_start_verification(*, actor, case: Case, version: int, reason: str = "") -> Case:
    """待核查 → 核查中."""
    case = begin(actor=actor, case=case, version=version, name="start_verification")
    return finish(actor=actor, case=case, name="start_verification", reason=reason)


def _not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day is not None and day > today():
        raise ValidationFailed(f"{label}不能晚于今天", field=field)


def _authorisation(case: Case, document: Document | None) -> Document | None:
    if document is None:
        return None
    if document.household_id != case.household_id or document.doc_type != c.DocumentType.AUTHORISATION:
        raise ValidationFailed("授权书材料应为本户上传的「家庭经济状况核对授权书」", field="authorisation_document")
    return document


@transaction.atomic
def case_record_visit(*, actor, case: Case, version: int, visited_on: datetime.date, notes: str,
                      authorisation_signed_on: datetime.date | None = None,
                      authorisation_document: Document | None = None) -> Case:
    """The home visit record and the signed authorisation to check the family's finances (核查中 only)."""
    case = begin(actor=actor, case=case, version=version, name="record_visit")
    notes = required_reason(notes, "入户核查记录")
    _not_future(visited_on, "visited_on", "入户核查日期")
    _not_future(authorisation_signed_on, "authorisation_signed_on", "授权书签署日期")
    document = _authorisation(case, authorisation_document)
    case.visited_on, case.visited_by, case.visit_notes = visited_on, actor, notes
    if authorisation_signed_on is not None:
        case.authorisation_signed_on = authorisation_signed_on
    if document is not None:
        case.authorisation_document = document
    data = {"visited_on": visited_on.isoformat(), "authorisation_signed_on":
            case.authorisation_signed_on.isoformat() if case.authorisation_signed_on else None}
    return finish(actor=actor, case=case, name="record_visit", reason=notes, data=data)


@transaction.atomic
def case_start_notice(*, actor, case: Case, version: int, start: datetime.date, end: datetime.date) -> Case:
    """核查中 → 公示: only with a home visit record and a signed finance-check authorisation, on dates that follow
    the case's history (`workflow.notice_follows_history`)."""
    case = begin(actor=actor, case=case, version=version, name="start_notice")
    if case.visited_on is None or not case.visit_notes:
        raise ValidationFailed("须先登记入户核查记录,方可公示", field="visited_on")
    if case.authorisation_signed_on is None:
        raise ValidationFailed("须先取得签署的家庭经济状况核对授权书,方可公示", field="authorisation_signed_on")
    check_guard(case, "start_notice", today(), start=start, end=end)
    case.notice_start, case.notice_end = start, end
    return finish(actor=actor, case=case, name="start_notice",
                  data={"notice_start": start.isoformat(), "notice_end": end.isoformat()})


@transaction.atomic
def case_archive(*, actor, case: Case, version: int, category: str, reason: str = "",
                 override_reason: str = "") -> Case:
    """公示 → 已建档, by a county reviewer other than the submitter, once the notice period is over; open
    disagreements with other departments' data refuse it unless `override_reason` is given (Article 26)."""
    case = begin(actor=actor, case=case, version=version, name="archive")
    if category not in (c.Category.HARDSHIP, c.Category.EXTREME_HARDSHIP):
        raise ValidationFailed("核定类别应为困难或特困", field="category")
    day = today()
    check_guard(case, "archive", day)
    _has_worker(case)
    archive_checks(actor=actor, household=case.household, override_reason=override_reason)
    case.category, case.archived_on, case.approved_by = category, day, actor
    case.next_review_on = next_review(day, case.household.region_code)
    return finish(actor=actor, case=case, name="archive", reason=reason, category=category,
                  data={"category": category, "next_review_on": case.next_review_on.isoformat()})


@transaction.atomic
def case_refuse(*, actor, case: Case, version: int, reason: str) -> Case:
    """不予建档, with the reason, by a county reviewer other than the submitter."""
    case = begin(actor=actor, case=case, version=version, name="refuse")
    case.close_reason = required_reason(reason, "不予建档的原因")
    case.closed_on, case.closed_by = today(), actor
    return finish(actor=actor, case=case, name="refuse", reason=case.close_reason)
