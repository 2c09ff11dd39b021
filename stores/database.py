"""Conversations in an SQL database: `DATABASE_URL` (PostgreSQL in production), else an SQLite file.

endpoints.yml names `stores.database.DatabaseTrackerStore`, so switching to PostgreSQL is an environment
variable, not an edit: DATABASE_URL=postgresql://user:password@host:5432/clinic.

While the database is unreachable, nothing is answered that could not be stored: each channel checks
`reachable()` before handling a message and refuses it with 503, and holds the replies until they are
stored; a save that fails raises ConversationNotSaved, and the channel sends a 503 instead of the replies
(channels/guard.py). Rasa's fail-safe store would otherwise keep the conversation in memory and answer.
Database errors name their type only: SQLAlchemy's own messages quote the statement's parameters, a
visitor's words.
"""
from __future__ import annotations

import functools
import itertools
import json
import os
import time
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Text, Type

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

DEFAULT_SQLITE_FILE = "var/conversations.db"
DEFAULT_RETENTION_DAYS = 30


def database_url() -> Text:
    """DATABASE_URL, or the SQLite file (its folder created on first use)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        Path(DEFAULT_SQLITE_FILE).parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DEFAULT_SQLITE_FILE}"
    if url.startswith("postgres://"):  # Heroku-style scheme; SQLAlchemy 1.4 wants postgresql://
        url = "postgresql://" + url[len("postgres://"):]
    return url


def retention_days() -> int:
    """CONVERSATION_RETENTION_DAYS: conversations idle this long are deleted by `make forget`."""
    return int(os.environ.get("CONVERSATION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


class ConversationStoreError(Exception):
    """The database could not be read; the message says how, never with what data."""


class ConversationNotSaved(BaseException):
    """The database could not store the conversation. A BaseException, so that Rasa's FailSafeTrackerStore
    (which catches every Exception and keeps the conversation in memory) lets it reach the channel."""


class DatabaseTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore on `database_url()`, reconnecting after the database was unavailable."""

    engine: Any  # SQLAlchemy's, created by Rasa's store

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = host or database_url()
        super().__init__(domain, host=url, event_broker=event_broker, **kwargs)
        self.engine.dispose()
        if sa.engine.make_url(url).get_backend_name() == "sqlite":
            # A file, not a server: connections are kept open (SQLAlchemy would open one per query).
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _write_ahead_log)
        else:
            # Test each pooled connection before use: after a database restart the stale ones are replaced
            # instead of failing the next requests.
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's own query; the events are rebuilt with their classes looked up once, not per event (Rasa
        walks every Event subclass for each event: a third of the time of reading a conversation)."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            dumps = [json.loads(row.data) for row in rows]
        if not (self.domain and dumps):
            return None
        events = []
        for dump in dumps:
            cls = event_class(dump.get("event"))
            event = cls._from_parameters(dump) if cls else None
            if event is not None:
                events.append(event)
        tracker = DialogueStateTracker.from_events(sender_id, events, self.domain.slots)
        if not fetch_events_from_all_sessions and len(events) == len(rows):
            _remember_stored(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except sa.exc.SQLAlchemyError as error:
            raise ConversationNotSaved(f"could not save: {type(error).__name__}") from None
        _remember_stored(tracker)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve(sender_id)
        except sa.exc.SQLAlchemyError as error:
            raise ConversationStoreError(f"could not read: {type(error).__name__}") from None

    def reachable(self) -> bool:
        """Whether the database answers now (one round trip; blocking: call it from a worker thread)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events not stored yet. Rasa counts the stored ones with a query on every save; a tracker
        this store read or saved already knows it (the conversation's lock keeps others from writing
        between), so only another tracker, or a copy, is counted by Rasa's query."""
        stored = _stored_count(tracker)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))


_STORED = "_events_in_store"


def _remember_stored(tracker: DialogueStateTracker) -> None:
    """All of this tracker object's events are in the store now (its copies don't inherit this: keyed by id)."""
    setattr(tracker, _STORED, (id(tracker), len(tracker.events)))


def _stored_count(tracker: DialogueStateTracker) -> Optional[int]:
    owner, count = getattr(tracker, _STORED, (None, 0))
    return count if owner == id(tracker) else None


@functools.lru_cache(maxsize=None)
def event_class(type_name: Optional[Text]) -> Optional[Type[Event]]:
    """The Event subclass of a stored event's `event` name (None for unknown names, which are skipped)."""
    classes: Dict[Text, Type[Event]] = {}
    for cls in all_subclasses(Event):  # the first match wins, as in Event.resolve_by_type
        classes.setdefault(cls.type_name, cls)
    return classes.get(type_name) if type_name else None


def _write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLite in write-ahead-log mode: a message's events are one append, not a rewritten journal. A commit
    survives the server process stopping or crashing; only a power cut can lose the last moments."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def forget_conversations_idle_for(days: float, url: Optional[Text] = None) -> int:
    """Delete every conversation whose last event is older than `days`; return how many were deleted."""
    engine = sa.create_engine(url or database_url())
    events = SQLTrackerStore.SQLEvent.__table__
    cutoff = time.time() - days * 86400
    idle = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table(events.name):
                return 0
            senders = [row[0] for row in connection.execute(idle)]
            for start in range(0, len(senders), 500):
                connection.execute(events.delete().where(events.c.sender_id.in_(senders[start:start + 500])))
        return len(senders)
    finally:
        engine.dispose()
