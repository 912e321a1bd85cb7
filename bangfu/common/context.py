"""Where the current request comes from (IP, user agent), for the audit rows that services write."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""


_current: contextvars.ContextVar[RequestInfo] = contextvars.ContextVar("bangfu_request", default=RequestInfo())


def current_request_info() -> RequestInfo:
    return _current.get()


def set_request_info(info: RequestInfo) -> contextvars.Token:
    return _current.set(info)


def reset_request_info(token: contextvars.Token) -> None:
    _current.reset(token)
