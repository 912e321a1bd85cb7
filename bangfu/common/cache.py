"""Django's Redis cache with one client object per connection pool. Django builds a new `redis.Redis` for every cache
operation (the pool, and so the connections, shared already), and redis-py sets up its response callbacks in each:
on a local Redis that costs more than the operation itself, and a page makes several (session, rate limit, figures).
A client over a pool is safe to share (redis-py's own advice: one per process)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

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


@functools.cache
def code_fingerprint() -> str:
    """This release's code and templates (a hash of the package's .py and .html files, read once per process: about
    20 ms): part of the key of rendered HTML kept in the shared cache, so that a server running a new release never
    serves what an older one rendered, nor an older one a newer one's, while both run during a deployment."""
    return fingerprint(Path(__file__).resolve().parents[1])


def fingerprint(root: Path) -> str:
    """A hash of the names and contents of the .py and .html files under `root`."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html") and path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
