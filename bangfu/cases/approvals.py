"""Who may act on a case: the area and the role, a county union's 审核人 for approvals, never the proposer (四眼)."""

from __future__ import annotations

from bangfu.accounts.access import APPROVE, VIEW, check_area, may
from bangfu.accounts.models import OrgLevel
from bangfu.common.errors import AccessDenied

from .models import Case

# The union level whose 审核人 approve (Article 2: "县级以上总工会": the county union's reviewer).
APPROVER_LEVELS = frozenset({OrgLevel.COUNTY})


def check_approver(actor, path: str) -> None:
    """Approvals belong to a county union's 审核人 over that area."""
    check_area(actor, path, VIEW, "未找到该帮扶档案")
    if not may(actor, APPROVE) or actor.organisation.level not in APPROVER_LEVELS:
        raise AccessDenied("审批须由县(市、区)总工会的审核人办理")


def proposer_ids(case: Case) -> set:
    """Who proposed what is being approved: the submitter, and whoever moved the case into its state."""
    last = case.events.exclude(to_state="").order_by("-id").values_list("actor_id", flat=True).first()
    return {case.submitted_by_id, last} - {None}
