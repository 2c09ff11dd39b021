"""Per-conversation locks: Rasa's RedisLockStore when REDIS_URL is set, else its in-memory store.

A lock store serialises the messages of one conversation. In memory that only holds within one process;
several Sanic workers (SANIC_WORKERS > 1) or several `rasa run` replicas need the shared Redis one.
"""
from __future__ import annotations

import os
from typing import Optional
from urllib.parse import urlsplit

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

KEY_PREFIX = "clinic"


def redis_lock_store(url: str) -> RedisLockStore:
    """redis://[user:password@]host:port/db (rediss:// for TLS)."""
    parts = urlsplit(url)
    db = parts.path.strip("/") or "1"
    return RedisLockStore(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=int(db),
        username=parts.username or None,
        password=parts.password or None,
        use_ssl=parts.scheme == "rediss",
        key_prefix=KEY_PREFIX,
    )


class LockStoreFromEnvironment:
    """`lock_store: type: stores.locks.LockStoreFromEnvironment` in endpoints.yml."""

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None) -> LockStore:  # type: ignore[misc]
        url = os.environ.get("REDIS_URL", "").strip()
        if url:
            return redis_lock_store(url)
        if int(os.environ.get("SANIC_WORKERS", "1") or 1) > 1:
            # Rasa allows several workers with any custom lock store: refuse the unsafe in-memory case.
            raise RasaException("SANIC_WORKERS > 1 needs a shared lock store: set REDIS_URL")
        return InMemoryLockStore()
