"""Pages of a list, in one shape: the items, the total, the page and how many there are (no list is cut without
saying so); deep pages by keyset (`keyset_page`), the one home of that code for every list that can grow large."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from ninja import Schema

from .bounds import cursor, page_number

MAX_PER_PAGE = 200


def api_page(rows, *, page: Any = 1, per_page: int = 50, item: Callable[[Any], Any] | None = None) -> dict:
    """One page of a queryset (two queries: the count and the page); `item` turns each row into its output."""
    per_page, page = max(1, min(per_page, MAX_PER_PAGE)), page_number(page)
    total = rows.count()
    chunk = rows[(page - 1) * per_page: page * per_page]
    items = [item(row) for row in chunk] if item is not None else list(chunk)
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "pages": max(1, -(-total // per_page))}


def page_schema(item: type, name: str, *, keyset: bool = False) -> type[Schema]:
    """The output schema of a page of `item`s; with `keyset`, the cursors of its neighbouring pages too."""
    fields: dict[str, Any] = {"items": list[item], "total": int, "page": int, "per_page": int, "pages": int}
    if keyset:
        fields.update(next_after=int | None, previous_before=int | None)
    return type(name, (Schema,), {"__annotations__": fields,
                                  **({"next_after": None, "previous_before": None} if keyset else {})})


@dataclass
class Page:
    items: list
    total: int | None  # None: not counted
    page: int
    per_page: int
    filters: dict = field(default_factory=dict)
    after: int | None = None  # keyset cursors: the next page is the rows after this id, the previous before that
    before: int | None = None

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.per_page))


def _beyond(order: Sequence[str], values: Sequence[Any], *, forward: bool) -> Q:
    """The rows that come after (`forward`) or before the row with these sort values in `order`, as one condition:
    a bound on the leading column (so the database starts its index scan there, however deep) and the
    lexicographic comparison over all the columns."""
    clauses, equal = [], Q()
    for name, value in zip(order, values, strict=True):
        column, descending = name.lstrip("-"), name.startswith("-")
        clauses.append(equal & Q(**{f"{column}__{'lt' if descending == forward else 'gt'}": value}))
        equal &= Q(**{column: value})
    lead, descending = order[0].lstrip("-"), order[0].startswith("-")
    return Q(**{f"{lead}__{'lte' if descending == forward else 'gte'}": values[0]}) & reduce(or_, clauses)


def _flipped(order: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in order]


def keyset_page(rows: QuerySet, *, order: Sequence[str], page: Any = 1, per_page: int = 50, after: Any = None,
                before: Any = None, max_per_page: int = MAX_PER_PAGE, filters: dict | None = None,
                count: bool = True, counted: QuerySet | None = None) -> Page:
    """One page of `rows` in `order` (non-null columns ending with the unique `id`, e.g. ("-at", "-id")).

    `after` gives the page of the rows following the row of that id, `before` the page preceding it, each an index
    range scan however deep and stable while rows are added; `page` alone is an offset (a jump) and, with a cursor,
    only the number shown. A cursor that is not a row of `rows` (another area's, a made-up one) is no cursor.
    The page carries the cursors of its neighbours (None at either end). Queries: the count, the page, and with a
    cursor over more columns than the id one more to read that row's sort values. Without `count` (a trail that
    grows without end, where counting costs more than the page) the total is None. `counted`: the same rows without
    what only the page needs (joins, subqueries), cheaper to count.
    """
    order = list(order)
    if order[-1].lstrip("-") not in ("id", "pk"):
        raise ValueError("a keyset order ends with the unique id")
    per_page = max(1, min(per_page, max_per_page))
    page, after, before = page_number(page), cursor(after), cursor(before)
    rows = rows.order_by(*order)
    total = (rows if counted is None else counted).count() if count else None
    mark, forward = (after, True) if after is not None else (before, False)
    values = _sort_values(rows, order, mark) if mark is not None else None
    if values is not None and forward:
        found = list(rows.filter(_beyond(order, values, forward=True))[:per_page + 1])
        more_after, more_before = len(found) > per_page, True
        items = found[:per_page]
    elif values is not None:
        found = list(rows.filter(_beyond(order, values, forward=False)).order_by(*_flipped(order))[:per_page + 1])
        more_after, more_before = True, len(found) > per_page
        items = found[:per_page][::-1]
    else:
        found = list(rows[(page - 1) * per_page: page * per_page + 1])
        more_after, more_before = len(found) > per_page, page > 1
        items = found[:per_page]
    return Page(items=items, total=total, page=page, per_page=per_page, filters=filters or {},
                after=items[-1].pk if items and more_after else None,
                before=items[0].pk if items and more_before else None)


def _sort_values(rows: QuerySet, order: Sequence[str], pk: int) -> tuple | None:
    columns = [name.lstrip("-") for name in order]
    if len(columns) == 1:
        return (pk,)  # the id is its own sort value: no query (a cursor outside `rows` then simply finds nothing)
    return rows.filter(pk=pk).values_list(*columns).first()


def api_keyset_page(rows: QuerySet, *, order: Sequence[str], page: Any = 1, per_page: int = 50, after: Any = None,
                    before: Any = None, item: Callable[[Any], Any] | None = None) -> dict:
    """`keyset_page` in the API's page shape (`page_schema(..., keyset=True)`)."""
    result = keyset_page(rows, order=order, page=page, per_page=per_page, after=after, before=before)
    return {"items": [item(row) for row in result.items] if item is not None else result.items,
            "total": result.total, "page": result.page, "per_page": result.per_page, "pages": result.pages,
            "next_after": result.after, "previous_before": result.before}
