"""From the archive to exit (精准施策、精准退出): help, review, exit or 解困, and follow-ups after exit."""

from __future__ import annotations

import datetime

from django.db import transaction

from bangfu.accounts.access import CHANGE
from bangfu.audit.services import audit_log
from bangfu.common.clock import today
from bangfu.common.errors import ValidationFailed

from ..models import Case, FollowUp, FollowUpKind
from ..parameters import add_months, months_parameter, next_review
from ..reviews import exit_suggestion
from .common import begin, check_area, finish, required_reason


@transaction.atomic
def case_start_help(*, actor, case: Case, version: int, reason: str = "") -> Case:
    """已建档 → 帮扶中."""
    case = begin(actor=actor, case=case, version=version, name="start_help")
    return finish(actor=actor, case=case, name="start_help", reason=reason)


@transaction.atomic
def case_start_review(*, actor, case: Case, version: int, reason: str = "") -> Case:
    """已建档 or 帮扶中 → 复核."""
    case = begin(actor=actor, case=case, version=version, name="start_review")
    return finish(actor=actor, case=case, name="start_review", reason=reason)


@transaction.atomic
def case_complete_review(*, actor, case: Case, version: int, reason: str) -> Case:
    """复核 → 帮扶中: the household stays in the archive; the next review is set from today."""
    case = begin(actor=actor, case=case, version=version, name="complete_review")
    reason = required_reason(reason, "复核结论")
    case.next_review_on = next_review(today(), case.household.region_code)
    return finish(actor=actor, case=case, name="complete_review", reason=reason,
                  data={"next_review_on": case.next_review_on.isoformat()})


def _suggestion_summary(case: Case) -> dict:
    suggestion = exit_suggestion(case.household, today())
    return {"suggestion": suggestion["suggestion"], "suggestion_reason": suggestion["reason"]}


def schedule_followups(case: Case) -> dict:
    """The visits after exit (Article 26's 动态跟踪), at the months of the parameters; their dates for the log."""
    region, data = case.household.region_code, {}
    for kind, name in ((FollowUpKind.FIRST, "followup_months_first"), (FollowUpKind.SECOND, "followup_months_second")):
        due = add_months(case.closed_on, months_parameter(name, case.closed_on, region))
        FollowUp.objects.create(case=case, kind=kind, due_on=due)
        data[f"followup_{kind}"] = due.isoformat()
    return data


def _close(actor, case: Case, reason: str) -> None:
    case.close_reason, case.closed_on, case.closed_by = reason, today(), actor


@transaction.atomic
def case_exit(*, actor, case: Case, version: int, reason: str) -> Case:
    """复核 → 脱困退出, approved by a county reviewer with a reason; follow-ups are scheduled (3 and 12 months)."""
    case = begin(actor=actor, case=case, version=version, name="exit")
    _close(actor, case, required_reason(reason, "退出原因"))
    data = {**_suggestion_summary(case), **schedule_followups(case)}
    return finish(actor=actor, case=case, name="exit", reason=case.close_reason, data=data)


@transaction.atomic
def case_relieve(*, actor, case: Case, version: int, reason: str) -> Case:
    """复核 → 解困: cannot leave hardship by work; handed to social assistance at or above the local 低保."""
    case = begin(actor=actor, case=case, version=version, name="relieve")
    _close(actor, case, required_reason(reason, "解困原因"))
    return finish(actor=actor, case=case, name="relieve", reason=case.close_reason, data=_suggestion_summary(case))


@transaction.atomic
def followup_record(*, actor, followup: FollowUp, notes: str, relapse_seen: bool = False,
                    done_on: datetime.date | None = None) -> FollowUp:
    """Record a follow-up visit after exit; a relapse seen is flagged (then open a new episode with case_open)."""
    case = followup.case
    check_area(actor, case.household.union.path, CHANGE, "未找到该回访记录")
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.done_on is not None:
        raise ValidationFailed("该回访已登记", field="done_on")
    done_on = done_on or today()
    if done_on > today():
        raise ValidationFailed("回访日期不能晚于今天", field="done_on")
    followup.done_on, followup.done_by = done_on, actor
    followup.notes, followup.relapse_seen = required_reason(notes, "回访情况"), relapse_seen
    followup.save()
    audit_log(actor=actor, action="case.followup", object_type="case", object_id=case.pk,
              area_path=case.household.union.path,
              after={"followup": followup.pk, "kind": followup.kind, "done_on": done_on.isoformat(),
                     "relapse_seen": relapse_seen, "notes": followup.notes})
    return followup
