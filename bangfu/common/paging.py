"""One page of an API list, in one shape: the items, the total, the page and how many there are (no list is cut
without saying so)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Schema

from .bounds import page_number

MAX_PER_PAGE = 200


def api_page(rows, *, page: Any = 1, per_page: int = 50, item: Callable[[Any], Any] | None = None) -> dict:
    """One page of a queryset (two queries: the count and the page); `item` turns each row into its output."""
    per_page, page = max(1, min(per_page, MAX_PER_PAGE)), page_number(page)
    total = rows.count()
    chunk = rows[(page - 1) * per_page: page * per_page]
    items = [item(row) for row in chunk] if item is not None else list(chunk)
    return {"items": items, "total": total, "page": page, "per_page": per_page,
            "pages": max(1, -(-total // per_page))}


def page_schema(item: type, name: str) -> type[Schema]:
    """The output schema of a page of `item`s."""
    return type(name, (Schema,), {"__annotations__": {"items": list[item], "total": int, "page": int,
                                                      "per_page": int, "pages": int}})
