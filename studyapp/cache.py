"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's backend builds a `redis.Redis` object for every cache call, and building one sets up its
table of response callbacks: about a third of a millisecond of Python, twice on every autosave
(the session and the item's facts). A client is thread-safe and takes its connections from the
pool, so one per pool serves every thread.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class PooledClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = PooledClient  # read by RedisCache._cache when it builds the client
