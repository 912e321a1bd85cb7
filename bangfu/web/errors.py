"""Error pages Django would otherwise send in English or blank: a failed CSRF check (settings.CSRF_FAILURE_VIEW)
and a GET on a POST-only address (`require_POST` answers it with an empty 405)."""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .access import is_htmx


def csrf_failure(request, reason: str = ""):
    """页面已过期: the form's token is stale (the page stayed open across a logout or a new login). An htmx
    request gets the message alone, to be swapped in where the answer would have gone."""
    template = "web/_csrf_failed.html" if is_htmx(request) else "403_csrf.html"
    return render(request, template, {"back_url": back_url(request)}, status=403)


def back_url(request) -> str:
    """The page the form was on, if it is on this site; else the start page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return referer
    return reverse("web:home")


class MethodNotAllowedPageMiddleware:
    """A blank 405 becomes a short Chinese page (same status, same Allow header); a 405 with a body (the API's)
    is left as it is. Placed below the middleware that add headers, so that the page gets them too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = render(request, "405.html", {"allowed": response["Allow"]}, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response


OWN_STALE = "您已在另一个页面(或标签页)修改过此记录,本页内容已过期:请刷新后再操作"


def by_user_alone(changes: list[dict], user) -> bool:
    """A stale save's changes since the form was loaded were all the user's own (another tab of theirs)."""
    names = {user.username, str(user)}
    return bool(changes) and all(change.get("actor") in names for change in changes)


def stale_message(exc, user) -> str:
    """A refused stale save in words that fit who changed the record: "已被他人修改" only when someone else did."""
    changes = (getattr(exc, "extra", None) or {}).get("changes") or []
    return OWN_STALE if by_user_alone(changes, user) else exc.message
