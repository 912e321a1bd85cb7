"""Where the current request comes from (IP, user agent), for the audit rows that services write; and a memo that
lives as long as one request (or one background job), for checks made once per request."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""


_NONE = RequestInfo()  # frozen: safe to share
_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("bangfu_request", default=None)


def current_request_info() -> RequestInfo:
    return _current.get() or _NONE


def set_request_info(info: RequestInfo) -> contextvars.Token:
    return _current.set(info)


def reset_request_info(token: contextvars.Token) -> None:
    _current.reset(token)


_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bangfu_request_memo", default=None)


@contextmanager
def request_scope() -> Iterator[dict]:
    """One request's (or one job's) memo: what is checked once per request is kept here, then dropped."""
    token = _memo.set({})
    try:
        yield _memo.get()
    finally:
        _memo.reset(token)


def request_memo() -> dict | None:
    """The memo of the request being served, None outside a request or job (then nothing is kept)."""
    return _memo.get()
