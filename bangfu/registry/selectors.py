"""Reads of the household file; each starts from a queryset restricted to the user's area and role."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Reverse

from bangfu.accounts.access import VIEW, VIEW_ID_NUMBER, may
from bangfu.accounts.models import Organisation
from bangfu.common.errors import NotFound
from bangfu.common.ids import mask_id_number
from bangfu.common.paging import Page, keyset_page

from . import choices as c
from . import states
from .models import Document, Household, Member

ID_LIKE = re.compile(r"^\d{17}[\dXx]$")
PHONE_LIKE = re.compile(r"^[\d-]{7,13}$")
ID_PART = re.compile(r"^(\d{6,17}|\d{5,16}[Xx])$")
MAX_PER_PAGE = 200
# Households behind Article 2's figures whose rule lives in the cases app: "helped" and "relapsed" (returned to
# hardship) in a year, and "dibao" (below or not below the local 低保 line today); each called with user, path and the filter's value, giving a condition on
# households. Registered when the cases app is ready (the registry does not import it).
TARGET_SETS: dict[str, Callable[..., Q]] = {}


def _matching(q: str, *, partial_ids: bool) -> tuple[Q, Q]:
    """(households, members) that a search matches, each an index lookup: a full ID number; part of one (6 to 17
    characters: its first digits, or its last ones through the reversed-number index of migration 0006) — only for a
    user who may see ID numbers (`partial_ids`): otherwise growing a prefix one digit at a time would reveal the masked
    digits — or a phone number (the household's or a member's); else the start of a member's name."""
    if ID_LIKE.match(q):
        return Q(), Q(id_number=q.upper())
    digits = partial_ids and ID_PART.match(q)
    if digits or PHONE_LIKE.match(q):
        members = Q(phone=q)
        if digits:
            members |= Q(id_number__startswith=q.upper()) | Q(id_reversed__startswith=q.upper()[::-1])
        return Q(phone=q), members
    return Q(), Q(name__startswith=q)


def _search(qs: QuerySet, q: str, *, partial_ids: bool) -> QuerySet:
    """The households matching `q`, each with the member that matched first (the worker before the others):
    `match_name`, `match_relation`, `match_id_number` and `match_phone`, to say why it was found."""
    household, member = _matching(q.strip(), partial_ids=partial_ids)
    members = (Member.objects.filter(household=OuterRef("pk"), removed=False)
               .annotate(id_reversed=Reverse("id_number"), worker_first=Case(
                   When(relation=c.Relation.SELF, then=Value(0)), default=Value(1)))
               .filter(member).order_by("worker_first", "position", "id"))
    found = Exists(members)
    qs = qs.filter(household | found if household else found)
    return qs.annotate(**{f"match_{f}": Subquery(members.values(f)[:1]) for f in ("name", "relation", "id_number",
                                                                                      "phone")})


def search_hint(household, q: str) -> str:
    """Why a household was found by `q`, in Chinese, when the list's own columns do not show it (another member's
    name, part of an ID number, a member's phone); ID numbers masked. Empty when nothing needs saying."""
    name = getattr(household, "match_name", None)
    q = (q or "").strip()
    if not q or name is None:
        return ""
    who = name if household.match_relation == c.Relation.SELF else (
        f"{c.Relation(household.match_relation).label}{name}")
    if (ID_PART.match(q) or ID_LIKE.match(q)) and q.upper() in (household.match_id_number or "").upper():
        if household.match_relation == c.Relation.SELF and ID_LIKE.match(q):
            return ""  # the worker's full number: the list shows it
        return f"身份证号码含「{q}」:{who}({mask_id_number(household.match_id_number)})"
    if household.match_phone == q and household.phone != q:
        return f"联系电话:{who}"
    if household.match_relation != c.Relation.SELF:
        return f"成员姓名:{who}"
    return ""


def has_cause(cause: str) -> Q:
    """jsonb containment on PostgreSQL (GIN-indexed); SQLite has no JSON `contains`, so the quoted code in
    the JSON text there."""
    if connection.vendor == "postgresql":
        return Q(hardship_causes__contains=[cause])
    return Q(hardship_causes__icontains=f'"{cause}"')


def household_queryset(
    *, user, action: str = VIEW, q: str = "", region: str = "", union: Organisation | None = None,
    category: str = "", cause: str = "", status: str = "", closed_year: int | None = None,
    closed_as: Collection[str] = (), helped: int | None = None, dibao: str = "", relapsed: int | None = None,
    listed: bool = True,
) -> QuerySet[Household]:
    """The filtered, annotated households the user may `action`, newest first (shared by list and export).
    `closed_year`: households with a case closed that year (in one of the `closed_as` states, when given).
    `helped` and `relapsed` (a year) and `dibao` (`TARGET_SETS`): those behind Article 2's figures of the union (or
    the user's). Without `listed`, only the filtered households (no union, worker or size, no order: to count them)."""
    qs = Household.objects.restrict(user, action)
    if q.strip():
        qs = _search(qs, q, partial_ids=may(user, VIEW_ID_NUMBER))
    if region:
        qs = qs.filter(region_code__startswith=region[:4]) if region.endswith("00") else qs.filter(region_code=region)
    if union is not None:
        qs = qs.filter(union__path__startswith=union.path)
    if category:
        qs = qs.filter(verified_category=category)
    if cause:
        qs = qs.filter(has_cause(cause))
    if status:
        qs = qs.filter(status__in=states.matching(status))
    if closed_year is not None:
        # one filter call: the year and the way out must be those of the same case
        same_case = {"cases__closed_on__year": closed_year, **({"cases__state__in": list(closed_as)} if closed_as else {})}
        qs = qs.filter(pk__in=Household.objects.filter(**same_case).values("pk"))
    targets = [(name, value) for name, value in (("helped", helped), ("dibao", dibao), ("relapsed", relapsed))
               if value and name in TARGET_SETS]
    if targets:
        organisation = union if union is not None else user.organisation
        if organisation is None:  # a user of no union sees no area: restrict() has emptied the list already
            return qs.none()
        for name, value in targets:
            qs = qs.filter(TARGET_SETS[name](user=user, path=organisation.path, value=value))
    return _listed(qs) if listed else qs


def _listed(qs: QuerySet[Household]) -> QuerySet[Household]:
    """The households with their union, the worker's name and ID number and the household's size, newest first."""
    return qs.select_related("union").annotate(**_list_columns()).order_by("-id")


@functools.cache
def _list_columns() -> dict[str, Subquery]:
    """The worker's name and ID number and the household's size, as subqueries on the household's id: built once per
    process (the ORM copies an expression as it adds it to a query, so one object serves every query; building them
    was 0.3 ms of each list request; issue 19)."""
    worker = Member.objects.filter(household=OuterRef("pk"), removed=False, relation="self")
    size = (Member.objects.filter(household=OuterRef("pk"), removed=False).order_by()
            .values("household").annotate(n=Count("pk")).values("n"))
    return {"worker_name": Subquery(worker.values("name")[:1]),
            "worker_id_number": Subquery(worker.values("id_number")[:1]), "size": Subquery(size)}


def household_list(*, user, page: int = 1, per_page: int = 50, after=None, before=None, **filters) -> Page:
    """One page of households, newest first (two queries: the count and the page), with the worker's name and ID
    number; keyset cursors `after`/`before` for deep pages (bangfu.common.paging.keyset_page). The count is of the
    filtered households without the page's joins and subqueries (a third of the CPU of counting them with; issue 19)."""
    filtered = household_queryset(user=user, listed=False, **filters)
    found = keyset_page(_listed(filtered), order=("-id",), page=page, per_page=per_page, after=after, before=before,
                        max_per_page=MAX_PER_PAGE, filters=filters, counted=filtered)
    for item in found.items:
        item.search_hint = search_hint(item, filters.get("q", ""))
    return found


def household_get(*, user, pk: int, action: str = VIEW, files: bool = True) -> Household:
    """One household (with its union) and, unless `files` is false, its members (not removed), income records and
    documents (`read_files`); NotFound outside the area."""
    household = Household.objects.restrict(user, action).select_related("union").filter(pk=pk).first()
    if household is None:
        raise NotFound("未找到该家庭档案")
    if files:
        read_files([household])
    return household


def household_reread(household: Household) -> None:
    """The household's own fields and its union read again, in place (members, incomes and documents read before
    are dropped): for what is computed from it after a stamp was read, so that no change committed in between is
    missed (`views.households.file_cards`)."""
    household.refresh_from_db(from_queryset=Household.objects.select_related("union"))


def read_files(households: list[Household]) -> None:
    """What a household's file lists, read for households in hand (one query each whatever their number): members
    not removed, in their order (`active_members`), income records and documents."""
    active = Member.objects.filter(removed=False).order_by("position", "id")
    prefetch_related_objects(households, Prefetch("members", queryset=active, to_attr="active_members"),
                             "incomes", "documents")


def member_list(*, user, household: Household, include_removed: bool = False) -> QuerySet[Member]:
    qs = Member.objects.restrict(user, VIEW).filter(household=household)
    return qs if include_removed else qs.filter(removed=False)


def member_get(*, user, pk: int, action: str = VIEW) -> Member:
    member = Member.objects.restrict(user, action).select_related("household__union").filter(pk=pk).first()
    if member is None:
        raise NotFound("未找到该家庭成员")
    return member


def document_get(*, user, pk: int) -> Document:
    document = Document.objects.restrict(user, VIEW).select_related("household__union").filter(pk=pk).first()
    if document is None:
        raise NotFound("未找到该材料")
    return document
