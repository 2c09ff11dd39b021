"""Conversations in an SQL database: `DATABASE_URL` (PostgreSQL in production), else an SQLite file.

endpoints.yml names `stores.database.DatabaseTrackerStore`, so switching to PostgreSQL is an environment
variable, not an edit: DATABASE_URL=postgresql://user:password@host:5432/clinic.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain

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


class DatabaseTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore on `database_url()`, reconnecting after the database was unavailable."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = host or database_url()
        super().__init__(domain, host=url, event_broker=event_broker, **kwargs)
        # Test each pooled connection before use: after a database restart the stale ones are replaced
        # instead of failing the next requests.
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


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
