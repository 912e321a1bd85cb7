"""Middleware: a strict Content-Security-Policy, the request's origin recorded for audit rows, no caching of
what a logged-in user is sent, and input no view can use refused at the edge."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

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


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")
_NUL_ESCAPED = re.compile(rb"\\u0000|%00", re.I)
_HUGE_NUMBER_SEGMENT = re.compile(r"/\d{19,}(?:/|\.|$)")


def json_too_deep(body: bytes, limit: int) -> bool:
    """Whether JSON text nests arrays and objects deeper than `limit`, judged without parsing it (a parser
    recurses: 50,000 opening brackets end in RecursionError). Brackets inside strings do not count."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _has_nul(text: str) -> bool:
    return "\x00" in text or "%00" in text


# The engine's exchange formats (spec/assessment.md, spec/settlement.md) refuse NUL characters and deep nesting
# themselves, before parsing, with the 422 and the field's path that the spec prescribes.
ENGINE_DOCUMENTS = frozenset({"/api/v1/assessments", "/api/v1/settlements"})


class InputGuardMiddleware:
    """Input no page or endpoint can use is refused at the edge, in one place, before any view or parser runs:
    NUL characters (PostgreSQL cannot store them) in the path, the query string, a form or a JSON body; a JSON
    body too large or nested too deep; a number in the path too large for a database key."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem is not None:
            status, message = problem
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=status)
            if status == 404:
                raise Http404(message)
            raise BadRequest(message)
        return self.get_response(request)

    def _problem(self, request) -> tuple[int, str] | None:
        if "\x00" in request.path or _has_nul(request.META.get("QUERY_STRING", "")):
            return 400, "请求中含有不允许的空字符(NUL)"
        if _HUGE_NUMBER_SEGMENT.search(request.path):
            return 404, "未找到:编号超出范围"
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type == "application/json" or content_type.endswith("+json"):
            return self._json_problem(request)
        if content_type == "application/x-www-form-urlencoded":
            return self._form_problem(request)
        if content_type == "multipart/form-data" and request.method == "POST":
            fields = request.POST  # parsed once here (files stream to disk); views use the same parse
            if any("\x00" in value for _name, values in fields.lists() for value in values):
                return 400, "表单中含有不允许的空字符(NUL)"
        return None

    def _json_problem(self, request) -> tuple[int, str] | None:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.BANGFU_JSON_MAX_BYTES:
            return 413, f"请求体过大:JSON 不能超过{settings.BANGFU_JSON_MAX_BYTES // 1024}KB"
        body = request.body
        if len(body) > settings.BANGFU_JSON_MAX_BYTES:
            return 413, f"请求体过大:JSON 不能超过{settings.BANGFU_JSON_MAX_BYTES // 1024}KB"
        if request.path.rstrip("/") in ENGINE_DOCUMENTS:
            return None
        if b"\x00" in body or _NUL_ESCAPED.search(body):
            return 400, "请求中含有不允许的空字符(NUL)"
        if json_too_deep(body, settings.BANGFU_JSON_MAX_DEPTH):
            return 400, f"JSON 嵌套过深:不能超过{settings.BANGFU_JSON_MAX_DEPTH}层"
        return None

    def _form_problem(self, request) -> tuple[int, str] | None:
        body = request.body
        if b"\x00" in body or b"%00" in body:
            return 400, "表单中含有不允许的空字符(NUL)"
        return None


class PasswordChangeRequiredMiddleware:
    """A user whose password an administrator reset must choose their own before anything else (pages: a redirect
    to 修改密码; the API with a session: 403). Logging out stays possible."""

    ALLOWED = ("/accounts/password_change/", "/accounts/logout/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(self.ALLOWED)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "管理员已重置您的密码,请先在网页上修改密码"}, status=403)
            return redirect(f"{reverse('password_change')}?reset=1")
        return self.get_response(request)
