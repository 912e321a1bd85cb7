"""Django's Redis cache with one client object per connection pool. Django builds a new `redis.Redis` for every cache
operation (the pool, and so the connections, shared already), and redis-py sets up its response callbacks in each:
on a local Redis that costs more than the operation itself, and a page makes several (session, rate limit, figures).
A client over a pool is safe to share (redis-py's own advice: one per process)."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _SharedClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClient
