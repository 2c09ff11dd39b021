"""The lock store chosen by REDIS_URL: Rasa's RedisLockStore (shared) or its in-memory one."""
import asyncio

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.shared.exceptions import RasaException

from stores.locks import AtomicRedisLockStore, LockStoreFromEnvironment


def test_without_redis_url_locks_are_in_memory(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    assert isinstance(LockStoreFromEnvironment(), InMemoryLockStore)


def test_several_workers_without_redis_are_refused(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(RasaException, match="REDIS_URL"):
        LockStoreFromEnvironment()


@pytest.fixture
def store(monkeypatch, redis):
    monkeypatch.setenv("REDIS_URL", redis.url)
    created = LockStoreFromEnvironment()
    yield created
    created.red.flushdb()


def test_redis_url_gives_a_redis_lock_store_on_a_real_server(store, redis):
    assert isinstance(store, AtomicRedisLockStore) and isinstance(store, RedisLockStore)
    assert store.issue_ticket("visitor") == 1
    assert "clinic:lock:visitor:queue" in redis.cli("-n", "1", "KEYS", "*").split()


def test_messages_of_one_conversation_take_turns_in_arrival_order(store):
    order = []

    async def message(number, delay):
        await asyncio.sleep(delay)
        async with store.lock("visitor"):
            order.append(("start", number))
            await asyncio.sleep(0.05)
            order.append(("end", number))

    async def main():
        await asyncio.gather(*(message(n, n * 0.005) for n in range(8)))

    asyncio.run(main())
    assert order == [(step, n) for n in range(8) for step in ("start", "end")]


def test_other_conversations_do_not_wait(store):
    async def main():
        async with store.lock("first"):
            async with store.lock("second"):  # would deadlock if conversations shared a queue
                return True

    assert asyncio.run(asyncio.wait_for(main(), 5))


def test_an_expired_ticket_no_longer_blocks_the_queue(store):
    store.issue_ticket("stuck", lock_lifetime=0.2)  # a process that died holding the lock

    async def main():
        async with store.lock("stuck"):
            return True

    assert asyncio.run(asyncio.wait_for(main(), 5))


def test_redis_url_with_password_and_database(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://:secret@cache.example:6380/3")
    store = LockStoreFromEnvironment()
    kwargs = store.red.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"], kwargs["password"]) == ("cache.example", 6380, 3, "secret")
