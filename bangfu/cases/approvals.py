"""Who may act on a case: the area and the role, a county union's 审核人 for approvals, never the proposer (四眼)."""

from __future__ import annotations

from bangfu.accounts.access import APPROVE, VIEW, check_area, check_four_eyes, may, roles_allowed
from bangfu.accounts.models import Organisation, OrgLevel, User
from bangfu.common.errors import AccessDenied

from .models import Case

# The union level whose 审核人 approve (Article 2: "县级以上总工会": the county union's reviewer).
APPROVER_LEVELS = frozenset({OrgLevel.COUNTY})
# Where a county has nobody else who may approve, the request goes up to the city, then the province.
REVIEWER_LEVELS = frozenset({OrgLevel.COUNTY, OrgLevel.CITY, OrgLevel.PROVINCE})


def check_approver(actor, path: str) -> None:
    """Approvals belong to a county union's 审核人 over that area."""
    check_area(actor, path, VIEW, "未找到该帮扶档案")
    if not may(actor, APPROVE) or actor.organisation.level not in APPROVER_LEVELS:
        raise AccessDenied("审批须由县(市、区)总工会的审核人办理")


def approver_union(union, exclude: set):
    """Where an approval goes: the nearest union from `union` up (county level or above) with an active 审核人 who
    is not one of `exclude` (the proposers). A county whose only reviewer proposed passes it to the city, and so on;
    None when nobody above can approve."""
    parts = [p for p in union.path.split("/") if p]
    paths = ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]
    found = (User.objects.filter(is_active=True, role__in=roles_allowed(APPROVE), organisation__path__in=paths,
                                 organisation__level__in=REVIEWER_LEVELS).exclude(pk__in=exclude - {None})
             .values_list("organisation__path", flat=True))
    deepest = max(found, key=len, default=None)
    return None if deepest is None else Organisation.objects.get(path=deepest)


def check_escalating_approver(actor, union, proposers: set) -> None:
    """Four eyes without dead ends: a county 审核人 over the area who proposed nothing approves; where the union
    has nobody else who may (its only reviewer proposed it), the reviewer of the union above does."""
    check_area(actor, union.path, VIEW, "未找到该记录")
    if not may(actor, APPROVE):
        raise AccessDenied("审批须由县(市、区)总工会的审核人办理")
    check_four_eyes(actor, proposers)
    if actor.organisation.level in APPROVER_LEVELS:
        return
    target = approver_union(union, proposers)
    if target is None or target.pk != actor.organisation_id:
        raise AccessDenied("审批须由县(市、区)总工会的审核人办理;本级没有其他审核人时才由上级工会审核")


def proposer_ids(case: Case) -> set:
    """Who proposed what is being approved: the submitter, and whoever moved the case into its state."""
    last = case.events.exclude(to_state="").order_by("-id").values_list("actor_id", flat=True).first()
    return {case.submitted_by_id, last} - {None}
