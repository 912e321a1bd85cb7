"""Households archived outside the application workflow: an existing archive taken over, data loading.

Every archived household has an episode in 已建档 with its review date (Article 26: reviewed at least once a
year), however it came into the archive.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from bangfu.accounts.access import VERIFY, check_area
from bangfu.audit.models import AuditEntry
from bangfu.cases.workflow import ARCHIVED_STATES, INACTIVE_STATES, CaseState
from bangfu.common import clock
from bangfu.common.clock import today
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.registry import choices as c
from bangfu.registry.models import Household

from ..models import Case
from ..parameters import next_review
from .common import archive_checks, log_event
from .household_state import household_follow_case

TAKE_OVER = "take_over"
RECATEGORISE = "recategorise"
TAKE_OVER_REASON = "按原有档案建档(接收原有档案或数据导入)"
CATEGORIES = (c.Category.HARDSHIP, c.Category.EXTREME_HARDSHIP)


def archive_date_known(household: Household) -> datetime.date:
    """When a household filed in the archive by the registry alone was archived, as far as the file tells: its
    last 核定 in the audit log, else its registration. The earlier guess errs towards a review due sooner."""
    verified = (AuditEntry.objects.filter(object_type="household", object_id=str(household.pk),
                                          action="household.verify").order_by("-at").values_list("at", flat=True)
                .first())
    return clock.local_date(verified or household.created_at)


def _archive_day(archived_on: datetime.date | None) -> datetime.date:
    day = archived_on or today()
    if day > today():
        raise ValidationFailed("建档日期不能晚于今天", field="archived_on")
    return day


def _check_household(household: Household, category: str) -> None:
    if category not in CATEGORIES:
        raise ValidationFailed("核定类别应为困难或特困", field="category")
    if household.status in INACTIVE_STATES:
        raise ValidationFailed("已退出或不予建档的档案不能核定", field="status")
    if not household.members.filter(removed=False, relation=c.Relation.SELF).exists():
        raise ValidationFailed("档案中没有职工本人,不能核定", field="members")


def _recategorise(actor, case: Case, category: str, reason: str) -> Case:
    """Already in the archive: only the verified category changes, logged on the episode."""
    case = Case.objects.select_for_update().select_related("household__union").get(pk=case.pk)
    before = case.category
    case.category = category
    case.version += 1
    case.save()
    log_event(actor=actor, case=case, action=RECATEGORISE, reason=reason or "核定类别变更",
              data={"category": category, "previous_category": before})
    household_follow_case(actor=actor, case=case, category=category)
    return case


@transaction.atomic
def case_take_over(*, actor, household: Household, category: str, archived_on: datetime.date | None = None,
                   reason: str = "", override_reason: str = "") -> Case:
    """核定 outside the application: a reviewer or administrator takes the household into the archive with its
    verified category (an existing archive, data loading). An episode is opened directly in 已建档 and its review
    falls due `sync.review.interval_months` after `archived_on` (default today), so an old archive shows as
    overdue at once. Already archived: only the category changes. An application under way is refused: it goes
    through public notice and the approval (four eyes)."""
    check_area(actor, household.union.path, VERIFY, "未找到该家庭档案")
    household = Household.objects.select_for_update().select_related("union").get(pk=household.pk)
    _check_household(household, category)
    current = household.cases.order_by("-episode").first()
    if current is not None and current.state not in INACTIVE_STATES:
        if current.state in ARCHIVED_STATES:
            return _recategorise(actor, current, category, reason)
        raise Conflict(f"该家庭正在申请建档(第{current.episode}次建档,{current.get_state_display()}),"
                       "须经公示后由审核人审批建档", field="household", extra={"case_id": current.pk})
    day = _archive_day(archived_on)
    # Open disagreements with other departments' data refuse it as they refuse the approval (Article 26).
    archive_checks(actor=actor, household=household, override_reason=override_reason)
    case = Case.objects.create(
        household=household, episode=current.episode + 1 if current else 1, previous=current,
        state=CaseState.ARCHIVED, category=category, archived_on=day, approved_by=actor, opened_by=actor,
        next_review_on=next_review(day, household.region_code),
    )
    log_event(actor=actor, case=case, action=TAKE_OVER, from_state=household.status, to_state=case.state,
              reason=reason or TAKE_OVER_REASON,
              data={"category": category, "archived_on": day.isoformat(),
                    "next_review_on": case.next_review_on.isoformat()})
    household_follow_case(actor=actor, case=case, category=category)
    return case


def adopted_review_fields(household: Household) -> dict:
    """For a household archived by the registry alone and adopted in its state: its archive and review dates."""
    if household.status not in ARCHIVED_STATES:
        return {}
    day = archive_date_known(household)
    return {"archived_on": day, "next_review_on": next_review(day, household.region_code)}
