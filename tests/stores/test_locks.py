"""The lock store chosen by REDIS_URL: Rasa's RedisLockStore (shared) or its in-memory one."""
import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.shared.exceptions import RasaException

from stores.locks import LockStoreFromEnvironment


def test_without_redis_url_locks_are_in_memory(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    assert isinstance(LockStoreFromEnvironment(), InMemoryLockStore)


def test_several_workers_without_redis_are_refused(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(RasaException, match="REDIS_URL"):
        LockStoreFromEnvironment()


def test_redis_url_gives_rasas_redis_lock_store_on_a_real_server(monkeypatch, redis):
    monkeypatch.setenv("REDIS_URL", redis.url)
    store = LockStoreFromEnvironment()
    assert isinstance(store, RedisLockStore)
    first = store.issue_ticket("visitor")
    second = store.issue_ticket("visitor")
    assert (first, second) == (0, 1)
    assert redis.cli("-n", "1", "KEYS", "*") == "clinic:lock:visitor"
    store.cleanup("visitor", first)
    store.cleanup("visitor", second)


def test_redis_url_with_password_and_database(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://:secret@cache.example:6380/3")
    store = LockStoreFromEnvironment()
    kwargs = store.red.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"], kwargs["password"]) == ("cache.example", 6380, 3, "secret")
