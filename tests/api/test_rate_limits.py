"""API rate limits (common/ratelimit.py): the public assessment endpoint per address, the API per token and per
address; a 429 in Chinese with Retry-After, and other addresses and tokens unaffected."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    settings.BANGFU_RATE_LIMITS = [
        ("/api/v1/assessments", "public-assessment", "3/m", None),
        ("/api/v1/settlements", "public-settlement", "3/m", None),
        ("/api/", "api", "8/m", "4/m"),
    ]
    cache.clear()
    yield
    cache.clear()


def test_the_public_assessment_endpoint_is_limited_per_address(client):
    answers = [client.post("/api/v1/assessments", "{}", content_type="application/json",
                           REMOTE_ADDR="10.0.0.1").status_code for _ in range(4)]
    assert answers[:3] == [422, 422, 422] and answers[3] == 429
    refused = client.post("/api/v1/assessments", "{}", content_type="application/json", REMOTE_ADDR="10.0.0.1")
    assert "请求过于频繁" in refused.json()["detail"] and int(refused["Retry-After"]) >= 1
    other = client.post("/api/v1/assessments", "{}", content_type="application/json", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 422


def test_a_token_is_limited_on_its_own_and_a_second_token_is_not(client, users):
    from bangfu.accounts.services import token_create

    _, first = token_create(actor=users["caseworker_g1"], name="一")
    _, second = token_create(actor=users["caseworker_g1"], name="二")
    seen = [client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {first}").status_code for _ in range(5)]
    assert seen == [200, 200, 200, 200, 429]
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200


def test_an_address_is_limited_whatever_token_it_sends(client):
    seen = [client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer bogus-{i}",
                       REMOTE_ADDR="10.0.0.9").status_code for i in range(9)]
    assert seen[:8] == [401] * 8 and seen[8] == 429


def test_pages_are_not_limited_by_the_api_rules(client, users):
    client.force_login(users["caseworker_g1"])
    assert all(client.get("/").status_code == 200 for _ in range(10))


def test_the_public_settlement_endpoint_is_limited_per_address(client):
    answers = [client.post("/api/v1/settlements", "{}", content_type="application/json",
                           REMOTE_ADDR="10.0.0.3").status_code for _ in range(4)]
    assert answers[3] == 429 and all(a < 500 and a != 429 for a in answers[:3])
