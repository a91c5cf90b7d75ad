"""Django's Redis cache, made optional: a cache that is down costs a page time, not the page.

Everything kept in the cache can be rebuilt from the database (rendered
fragments, mostly), so while Redis is unreachable reads miss and writes are
dropped, with a warning at most once a minute per process.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
CACHE_ERRORS = (RedisError, OSError)
WARNING_INTERVAL = 60.0

_last_warning = float("-inf")


def warn_cache_down(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL:
        _last_warning = now
        logger.warning("Cache unavailable, rendering without it: %s", error)


class OptionalRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except CACHE_ERRORS as error:
            warn_cache_down(error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except CACHE_ERRORS as error:
            warn_cache_down(error)
