"""Per-conversation locks: a Redis lock store when REDIS_URL is set, else Rasa's in-memory one; both check
a waiting message's turn every 20 ms, not every second.

A lock store serialises the messages of one conversation. In memory that only holds within one process;
several Sanic workers (SANIC_WORKERS > 1) or several `rasa run` replicas need a shared one in Redis.

Rasa 3.6's RedisLockStore keeps each conversation's ticket queue as one JSON value that every process
reads, changes and writes back. With messages of one conversation arriving at several processes at once
those writes overwrite each other: tickets are lost, a process deletes the lock while others wait, and they
fail with "Could not acquire lock" (at least 10 of 30 simultaneous messages across two replicas in our scale-out
test). AtomicRedisLockStore keeps Rasa's RedisLockStore (connection, settings, ticket-lock semantics) and
does each step as one atomic Redis operation instead: tickets from INCR, a sorted set as the queue, and a
key per ticket that expires after the lock lifetime, as Rasa's tickets do.
"""
from __future__ import annotations

import asyncio
import os
from typing import AsyncContextManager, Optional, Text
from urllib.parse import urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

KEY_PREFIX = "clinic"
# How often a waiting message checks whether its turn has come (Rasa's default is once a second).
POLL_SECONDS = 0.02
QUEUE_TTL_SECONDS = 86400

# KEYS: sequence, queue; ARGV: ticket key prefix, lifetime in ms. Returns the new ticket number.
_ISSUE = """
local ticket = redis.call('INCR', KEYS[1])
redis.call('SET', ARGV[1] .. ticket, '1', 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return ticket
"""
# KEYS: queue; ARGV: ticket key prefix, ticket. 1: its turn; 0: wait; -1: the ticket expired.
_TURN = """
if redis.call('EXISTS', ARGV[1] .. ARGV[2]) == 0 then return -1 end
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if head == false or head == nil then return -1 end
  if head == ARGV[2] then return 1 end
  if redis.call('EXISTS', ARGV[1] .. head) == 1 then return 0 end
  redis.call('ZREM', KEYS[1], head)
end
"""


class _PollsOften:
    """A waiting message checks every POLL_SECONDS whether its turn has come. Rasa checks once a second, so
    100 simultaneous messages of one conversation took 121 s, and 13 of them timed out."""

    def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncContextManager[TicketLock]:
        return super().lock(  # type: ignore[misc]
            conversation_id, lock_lifetime, min(wait_time_in_seconds, POLL_SECONDS))


class PollingInMemoryLockStore(_PollsOften, InMemoryLockStore):
    """Rasa's in-memory lock store (one process), checking its queue often."""


class AtomicRedisLockStore(_PollsOften, RedisLockStore):
    """Rasa's RedisLockStore with each ticket operation atomic in Redis (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._issue = self.red.register_script(_ISSUE)
        self._turn = self.red.register_script(_TURN)

    def _keys(self, conversation_id: Text) -> tuple:
        base = f"{self.key_prefix}{conversation_id}"
        return f"{base}:seq", f"{base}:queue", f"{base}:ticket:"

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        sequence, queue, ticket_prefix = self._keys(conversation_id)
        return int(self._issue(keys=[sequence, queue],
                               args=[ticket_prefix, int(lock_lifetime * 1000), QUEUE_TTL_SECONDS]))

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        _, queue, ticket_prefix = self._keys(conversation_id)
        while True:
            turn = int(self._turn(keys=[queue], args=[ticket_prefix, ticket]))
            if turn == 1:
                return TicketLock(conversation_id)
            if turn == -1:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            await asyncio.sleep(wait_time_in_seconds)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        _, queue, ticket_prefix = self._keys(conversation_id)
        pipe = self.red.pipeline()
        pipe.delete(f"{ticket_prefix}{ticket_number}")
        pipe.zrem(queue, ticket_number)
        pipe.execute()


def redis_lock_store(url: str) -> AtomicRedisLockStore:
    """redis://[user:password@]host:port/db (rediss:// for TLS)."""
    parts = urlsplit(url)
    db = parts.path.strip("/") or "1"
    return AtomicRedisLockStore(
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

    def __new__(cls, endpoint_config: Optional[EndpointConfig] = None) -> LockStore:
        url = os.environ.get("REDIS_URL", "").strip()
        if url:
            return redis_lock_store(url)
        if int(os.environ.get("SANIC_WORKERS", "1") or 1) > 1:
            # Rasa allows several workers with any custom lock store: refuse the unsafe in-memory case.
            raise RasaException("SANIC_WORKERS > 1 needs a shared lock store: set REDIS_URL")
        return PollingInMemoryLockStore()
