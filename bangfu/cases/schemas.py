"""API schemas of cases, plans and measures. Input types are loose: the services check values in Chinese."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from bangfu.common.bounds import Count, Day, DbId, Year


class OpenIn(Schema):
    household_id: DbId
    reason: str = ""


class MoveIn(Schema):
    version: Count
    reason: str = ""


class MoveOut(Schema):
    name: str
    label: str
    form: str  # the inputs: "note", "reason" (both through /moves/{name}), or its own endpoint's
    approval: bool
    blocked: str  # why this user may not make it now (four eyes)


class ReasonMoveIn(Schema):
    version: Count
    reason: str


class VisitIn(Schema):
    version: Count
    visited_on: Day
    notes: str
    authorisation_signed_on: Day | None = None
    authorisation_document_id: DbId | None = None


class NoticeIn(Schema):
    version: Count
    start: Day
    end: Day


class ArchiveIn(Schema):
    version: Count
    category: str
    reason: str = ""
    # 核对报告 with open disagreements: the approver may archive anyway, saying why.
    override_reason: str = ""


class EventOut(Schema):
    id: int
    at: datetime.datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    reason: str
    data: dict[str, Any]
    version: int


class CaseOut(Schema):
    id: int
    household_id: int
    episode: int
    previous_id: int | None
    is_relapse: bool
    state: str
    state_label: str
    version: int
    submitted_by: str | None
    visited_on: datetime.date | None
    visit_notes: str
    authorisation_signed_on: datetime.date | None
    notice_start: datetime.date | None
    notice_end: datetime.date | None
    category: str
    archived_on: datetime.date | None
    approved_by: str | None
    next_review_on: datetime.date | None
    closed_on: datetime.date | None
    close_reason: str
    allowed_moves: list[str]
    events: list[EventOut] = []


class FollowUpIn(Schema):
    notes: str
    relapse_seen: bool = False
    done_on: Day | None = None


class FollowUpOut(Schema):
    id: int
    case_id: int
    household_id: int
    kind: str
    due_on: datetime.date
    done_on: datetime.date | None
    notes: str
    relapse_seen: bool


class PlanIn(Schema):
    year: Year
    family_situation: str = ""
    hardship_causes: str = ""
    assistance_received: str = ""
    needs: str = ""
    targets_and_measures: str = ""
    goals: str = ""


class PlanPatch(Schema):
    version: Count
    family_situation: str | None = None
    hardship_causes: str | None = None
    assistance_received: str | None = None
    needs: str | None = None
    targets_and_measures: str | None = None
    goals: str | None = None


class MeasureOut(Schema):
    id: int
    plan_id: int
    kind: str
    title: str
    benefit_code: str
    benefit_member: str
    member_id: int | None
    article: int | None
    department: str
    department_label: str
    amount: Decimal | None
    owner_id: int
    owner: str
    due_on: datetime.date
    status: str
    delivered: Decimal  # the approved payments against the measure (yuan)
    notes: str
    version: int


class PlanOut(Schema):
    id: int
    case_id: int
    household_id: int
    year: int
    family_situation: str
    hardship_causes: str
    assistance_received: str
    needs: str
    targets_and_measures: str
    goals: str
    version: int
    measures: list[MeasureOut] = []


class MeasureIn(Schema):
    kind: str
    title: str
    owner_id: DbId
    due_on: Day
    department: str = "union"
    amount: Decimal | None = None
    article: Count | None = None
    notes: str = ""


class EntitlementMeasureIn(Schema):
    code: str
    member: str | None = None
    owner_id: DbId
    due_on: Day
    as_of: Day | None = None


class MeasurePatch(Schema):
    version: Count
    title: str | None = None
    owner_id: DbId | None = None
    due_on: Day | None = None
    status: str | None = None
    notes: str | None = None
    department: str | None = None
    amount: Decimal | None = None
