"""Error pages in Chinese: 400, 403, 404, 405 (a GET on a POST-only address), 500 and a stale form (CSRF)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template import loader
from django.test import Client
from django.urls import include, path, reverse
from django.views.defaults import server_error

from bangfu.web.errors import MethodNotAllowedPageMiddleware

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a bug")


# This module doubles as a URLconf for the 500 test: the site's routes plus one that fails.
urlpatterns = [path("boom/", boom), path("", include("bangfu.config.urls"))]


def clean(response) -> str:
    """The body, after checking what every page must be: our layout's language, no Django, no inline style."""
    body = response.content.decode()
    assert "Django" not in body and " style=" not in body and "<script>" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
    return body


def test_404_in_chinese_for_anyone(client, login, users):
    anonymous = client.get("/no-such-page/")
    assert anonymous.status_code == 404 and "未找到" in clean(anonymous)
    logged_in = login(users["caseworker_g1"]).get("/no-such-page/")
    assert logged_in.status_code == 404 and 'aria-label="主菜单"' in clean(logged_in)


def test_403_in_chinese_with_the_reason(login, users):
    response = login(users["caseworker_g1"]).get(reverse("web:audit_log"))
    assert response.status_code == 403
    body = clean(response)
    assert "无权访问" in body and "您没有访问此页面的权限" in body


def test_400_for_a_host_not_allowed(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = clean(response)
    assert "请求无效" in body and "Bad Request" not in body


@pytest.mark.urls(__name__)
def test_500_in_chinese_from_the_real_handler():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "系统出错了" in clean(response) and "a bug" not in response.content.decode()


def test_500_needs_no_request_and_no_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        body = loader.get_template("500.html").render()
        response = server_error(rf.get("/"))
    assert "系统出错了" in body and response.status_code == 500
    assert "系统出错了" in response.content.decode() and "{%" not in body


@pytest.mark.parametrize("who", [None, "caseworker_g1"])
def test_a_get_on_a_post_only_address_gets_a_chinese_405(client, login, users, who):
    if who:
        client = login(users[who])
    for url in (reverse("web:logout"), reverse("web:user_deactivate", args=[1])):
        response = client.get(url)
        assert response.status_code == 405 and response["Allow"] == "POST"
        body = clean(response)
        assert "此地址不能直接打开" in body and response["X-Frame-Options"] == "DENY"
    if who:
        assert 'aria-label="主菜单"' in body and response["Cache-Control"] == "no-store, private"


def test_a_405_with_its_own_body_is_left_alone(rf):
    api = HttpResponseNotAllowed(["POST"], content=b'{"detail": "Method not allowed"}')
    assert MethodNotAllowedPageMiddleware(lambda request: api)(rf.get("/api/x")) is api
    ok = HttpResponse("fine")
    assert MethodNotAllowedPageMiddleware(lambda request: ok)(rf.get("/")) is ok


@pytest.fixture
def strict(users):
    """A client that checks CSRF tokens as a browser's requests are checked (the test client skips it)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["caseworker_g1"])
    return client


def test_a_stale_form_says_the_page_has_expired(strict):
    assert settings.CSRF_FAILURE_VIEW == "bangfu.web.errors.csrf_failure"
    came_from = "http://testserver" + reverse("web:household_list")
    response = strict.post(reverse("web:logout"), HTTP_REFERER=came_from)
    assert response.status_code == 403
    body = clean(response)
    assert "页面已过期,请刷新后重试" in body and f'href="{came_from}"' in body
    assert 'aria-label="主菜单"' in body and "cookie" not in body  # Django's English reason stays in the log


def test_the_way_back_never_leaves_the_site(strict):
    body = strict.post(reverse("web:logout"), HTTP_REFERER="https://evil.example/x").content.decode()
    assert "evil.example" not in body and f'href="{reverse("web:home")}"' in body


def test_an_htmx_request_gets_the_message_alone(strict):
    response = strict.post(reverse("web:logout"), HTTP_HX_REQUEST="true")
    body = clean(response)
    assert response.status_code == 403 and "<html" not in body and "页面已过期,请刷新后重试" in body


def test_a_stale_login_form_too():
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(reverse("web:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403 and "页面已过期,请刷新后重试" in clean(response)
