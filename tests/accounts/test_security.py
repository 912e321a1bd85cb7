"""Login security: lockout after repeated failures, CSP and cookie settings, no secret in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_five_failed_logins_lock_the_account_even_with_the_right_password(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "caseworker_g1", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "caseworker_g1", "password": "pw-for-tests-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_login_works(client, users):
    response = client.post("/accounts/login/", {"username": "caseworker_g1", "password": "pw-for-tests-123"})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_every_response_carries_a_strict_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert client.get("/accounts/login/")["X-Frame-Options"] == "DENY"


def test_cookie_settings():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE


def test_production_settings_need_a_secret_from_the_environment(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    sys.modules.pop("bangfu.config.settings.production", None)
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("bangfu.config.settings.production")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "k" * 50)
    production = importlib.import_module("bangfu.config.settings.production")
    assert production.SECRET_KEY == "k" * 50 and production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    sys.modules.pop("bangfu.config.settings.production", None)


def test_the_dev_secret_key_is_generated_into_var_once_and_kept_private(monkeypatch, tmp_path):
    from bangfu.config.settings import base

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setattr(base, "VAR_DIR", tmp_path)
    key = base._secret_key()
    assert len(key) >= 50 and base._secret_key() == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("DJANGO_SECRET_KEY", "from-the-environment")
    assert base._secret_key() == "from-the-environment"


def test_no_secret_in_the_repository():
    root = Path(__file__).resolve().parents[2]
    assert "var/" in (root / ".gitignore").read_text().split()
    for path in (root / "bangfu" / "config").rglob("*.py"):
        text = path.read_text()
        assert 'SECRET_KEY = "' not in text and "SECRET_KEY = '" not in text
