"""Audit endpoint: auditors (and administrators) browse the trail of their area, filtered and paginated."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Query, Router, Schema

from bangfu.common.bounds import Day
from bangfu.common.paging import api_keyset_page, page_schema

from .selectors import AUDIT_ORDER, audit_list

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


AuditPage = page_schema(AuditOut, "AuditPage", keyset=True)


@router.get("", response=AuditPage)
def audit_entries(request, filters: Query[AuditFilters], page: int = 1, per_page: int = 50, after: int | None = None,
                  before: int | None = None):
    """`after`/`before`: keyset cursors (the `next_after`/`previous_before` of a page) for deep pages."""
    return api_keyset_page(audit_list(user=request.user, **filters.dict()), order=AUDIT_ORDER, page=page,
                           per_page=per_page, after=after, before=before)
