"""Audit endpoint: auditors (and administrators) browse the trail of their area, filtered and paginated."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Query, Router, Schema

from bangfu.common.bounds import Day
from bangfu.common.paging import api_page, page_schema

from .selectors import audit_list

router = Router(tags=["audit"])


class AuditFilters(Schema):
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: Day | None = None
    until: Day | None = None


class AuditOut(Schema):
    id: int
    at: datetime.datetime
    actor_name: str
    ip: str | None
    user_agent: str
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any


AuditPage = page_schema(AuditOut, "AuditPage")


@router.get("", response=AuditPage)
def audit_entries(request, filters: Query[AuditFilters], page: int = 1, per_page: int = 50):
    return api_page(audit_list(user=request.user, **filters.dict()), page=page, per_page=per_page)
