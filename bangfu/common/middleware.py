"""Middleware: a strict Content-Security-Policy, the request's origin recorded for audit rows, and no caching of
what a logged-in user is sent."""

from __future__ import annotations

from django.conf import settings

from .context import RequestInfo, request_scope, reset_request_info, set_request_info

# Swagger UI sets inline styles; only its page gets that allowance.
_DOCS_STYLE = "style-src 'self' 'unsafe-inline'"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = settings.CONTENT_SECURITY_POLICY
            if request.path.startswith("/api/docs"):
                policy = policy.replace("style-src 'self'", _DOCS_STYLE)
            response["Content-Security-Policy"] = policy
        return response


def client_ip(request) -> str | None:
    """The peer address; X-Forwarded-For only when a trusted proxy count is configured."""
    proxies = getattr(settings, "BANGFU_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        info = RequestInfo(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        token = set_request_info(info)
        try:
            with request_scope():
                response = self.get_response(request)
        finally:
            reset_request_info(token)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            # Pages and files of a logged-in user hold personal data: no browser or proxy keeps a copy.
            response["Cache-Control"] = "no-store, private"
        return response
