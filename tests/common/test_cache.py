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
