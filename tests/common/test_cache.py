"""The Redis cache backend keeps one client per connection pool instead of building one per operation (no Redis
server is needed: a client connects only when it sends a command)."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from bangfu.common.cache import RedisCache


def test_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=False) is first
    assert first.connection_pool is cache._cache._get_connection_pool(True)
    django = DjangoRedisCache("redis://127.0.0.1:6379/15", {})
    assert django._cache.get_client(write=True) is not django._cache.get_client(write=True)  # what this avoids


def test_two_servers_each_their_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/14,redis://127.0.0.1:6379/15", {})
    writer, reader = cache._cache.get_client(write=True), cache._cache.get_client(write=False)
    assert writer is not reader and writer.connection_pool is not reader.connection_pool
    assert cache._cache.get_client(write=True) is writer and cache._cache.get_client(write=False) is reader


def _session_engine(redis_url: str | None) -> str:
    """The session engine the base settings choose with or without `REDIS_URL` (read in a process of its own)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | ({"REDIS_URL": redis_url} if redis_url else {})
    done = subprocess.run([sys.executable, "-c", "import bangfu.config.settings.base as b; print(b.SESSION_ENGINE)"],
                          capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def test_sessions_come_from_the_cache_only_where_it_is_shared():
    """Without Redis each app server's memory would keep a session another one signed out: sessions in the database."""
    assert _session_engine("redis://127.0.0.1:6379/15") == "django.contrib.sessions.backends.cached_db"
    assert _session_engine(None) == "django.contrib.sessions.backends.db"
