"""`manage.py check --deploy` under production settings with a real key: no warnings (HSTS preload included)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_a_real_key(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "BANGFU_VAR_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the suite's own, not a deployment's
        env.pop(name, None)
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
