"""Where the current request comes from (IP, user agent), for the audit rows that services write."""

from __future__ import annotations

import contextvars
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
