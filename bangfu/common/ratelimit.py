"""API rate limits by path (django-ratelimit on the cache): per address everywhere under a rule, and per token
where a token is sent. One table of rules in settings (BANGFU_RATE_LIMITS); a new public endpoint (the settlement
exchange, say) is covered by adding its path prefix there, or by `rate_limited` on a view."""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.http import JsonResponse
from django_ratelimit.core import get_usage

from .middleware import client_ip


def _address(group, request) -> str:
    return client_ip(request) or "unknown"


def _token(group, request) -> str:
    """The token sent (hashed: the cache never holds a usable token); empty without one."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    raw = header[7:].strip() if header[:7].lower() == "bearer " else request.META.get("HTTP_X_API_TOKEN", "")
    return hashlib.sha256(raw.encode()).hexdigest() if raw else ""


def _refused(usage: dict) -> JsonResponse:
    wait = max(int(usage.get("time_left") or 1), 1)
    response = JsonResponse({"detail": f"请求过于频繁,请{wait}秒后再试"}, status=429)
    response["Retry-After"] = str(wait)
    return response


def check(request, group: str, per_address: str | None, per_token: str | None = None) -> JsonResponse | None:
    """The 429 to answer when `request` is over a limit of `group`, else None (and the request is counted)."""
    limits = [(per_address, _address)]
    if per_token and _token(group, request):
        limits.append((per_token, _token))
    for rate, key in limits:
        if rate is None:
            continue
        usage = get_usage(request, group=f"{group}:{key.__name__}", key=key, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            return _refused(usage)
    return None


def rate_limited(group: str, per_address: str, per_token: str | None = None):
    """The same limits as a decorator, for a view outside the path rules."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            return check(request, group, per_address, per_token) or view(request, *args, **kwargs)

        return wrapper

    return decorate


class RateLimitMiddleware:
    """The first rule of BANGFU_RATE_LIMITS whose path prefix the request's path starts with applies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for prefix, group, per_address, per_token in settings.BANGFU_RATE_LIMITS:
            if request.path.startswith(prefix):
                refused = check(request, group, per_address, per_token)
                if refused is not None:
                    return refused
                break
        return self.get_response(request)
