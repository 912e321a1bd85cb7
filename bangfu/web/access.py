"""Page guards: login, the role's right to an action, and domain errors shown as 404 and 403 pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bangfu.accounts.access import may
from bangfu.common.errors import AccessDenied, NotFound


def page(action: str | None = None):
    """A view for logged-in staff whose role allows `action`; a file outside their area is a plain 404."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if action is not None and not may(request.user, action):
                raise PermissionDenied("您没有访问此页面的权限")
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except AccessDenied as exc:
                raise PermissionDenied(exc.message) from exc

        return login_required(wrapper, login_url="web:login")

    return decorate


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def pager_query(request) -> str:
    """The list's query string without its page and cursors, for the pager's links (web/_pager.html)."""
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return query.urlencode()
