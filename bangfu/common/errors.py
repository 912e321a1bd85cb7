"""Domain errors raised by services and selectors; the API maps them to HTTP in one place (config/api.py)."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user may see; `message` is Chinese and safe to show."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class NotFound(DomainError):
    """The object does not exist, or lies outside the user's area (both look the same, so nothing leaks)."""

    status = 404


class AccessDenied(DomainError):
    status = 403


class ValidationFailed(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409
