"""The conversation store chosen by DATABASE_URL, and retention, on SQLite and a real PostgreSQL."""
import asyncio
import os
import subprocess
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from clinic.paths import PYTHON, ROOT
from stores.database import DatabaseTrackerStore, database_url, forget_conversations_idle_for

DAY = 86400


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conversations.db'}"
        return
    postgres = request.getfixturevalue("postgres")
    yield postgres.url
    forget_conversations_idle_for(-1, postgres.url)  # empty it for the next test


def conversation(sender, days_ago):
    at = time.time() - days_ago * DAY
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered("does massage help with sleep?", {"name": "faq_sleep"}, timestamp=at),
        BotUttered("Massage releases serotonin...", timestamp=at + 1),
    ])


def save(url, *trackers):
    store = DatabaseTrackerStore(Domain.empty(), host=url)
    for tracker in trackers:
        asyncio.run(store.save(tracker))
    return store


def test_conversations_are_stored_and_read_back(url):
    save(url, conversation("visitor", 0))
    again = DatabaseTrackerStore(Domain.empty(), host=url)  # as after a restart
    tracker = asyncio.run(again.retrieve_full_tracker("visitor"))
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["does massage help with sleep?"]


def test_retention_deletes_only_conversations_idle_longer_than_the_limit(url):
    store = save(url, conversation("old", 45), conversation("recent", 3))
    assert forget_conversations_idle_for(30, url) == 1
    assert set(asyncio.run(store.keys())) == {"recent"}
    assert forget_conversations_idle_for(30, url) == 0


def test_a_conversation_still_in_use_is_kept_whole(url):
    ongoing = conversation("ongoing", 45)
    ongoing.update(UserUttered("and for stress?", timestamp=time.time()))
    store = save(url, ongoing)
    assert forget_conversations_idle_for(30, url) == 0
    assert len(asyncio.run(store.retrieve_full_tracker("ongoing")).events) == 4


def test_forget_command_uses_the_retention_setting(url):
    save(url, conversation("two-weeks", 14), conversation("yesterday", 1))
    env = {**os.environ, "DATABASE_URL": url, "CONVERSATION_RETENTION_DAYS": "7"}
    done = subprocess.run([PYTHON, "-m", "scripts.forget_conversations"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 conversation(s) idle for more than 7 days." in done.stdout


def test_default_is_an_sqlite_file_in_a_data_folder_created_on_first_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///var/conversations.db"
    assert (tmp_path / "var").is_dir()
    save(database_url(), conversation("first", 0))
    assert (tmp_path / "var" / "conversations.db").stat().st_size > 0


def test_heroku_style_postgres_url_is_accepted(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/clinic")
    assert database_url() == "postgresql://u:p@db.example:5432/clinic"


def test_each_turn_stores_exactly_its_new_events(url):
    """The store remembers how many events of a tracker it holds; a copy, another server's tracker and a
    new session are counted from the database: nothing stored twice, nothing missed."""
    store = save(url, conversation("visitor", 0))
    for turn in range(3):
        tracker = asyncio.run(store.retrieve("visitor"))
        tracker.update(UserUttered(f"question {turn}", {"name": "faq_sleep"}))
        asyncio.run(store.save(tracker))
        asyncio.run(store.save(tracker))  # saved again unchanged: nothing added
    copy = tracker.copy()
    copy.update(BotUttered("from a copy"))
    asyncio.run(store.save(copy))
    other_replica = DatabaseTrackerStore(Domain.empty(), host=url)
    tracker = asyncio.run(other_replica.retrieve("visitor"))
    assert tracker
    tracker.update(UserUttered("from the other replica", {"name": "greet"}))
    asyncio.run(other_replica.save(tracker))
    stored = asyncio.run(DatabaseTrackerStore(Domain.empty(), host=url).retrieve_full_tracker("visitor")).events
    assert [e.text for e in stored if isinstance(e, (UserUttered, BotUttered))] == [
        "does massage help with sleep?", "Massage releases serotonin...", "question 0", "question 1",
        "question 2", "from a copy", "from the other replica"]


def test_a_save_the_database_refuses_reaches_the_channel_through_rasas_fail_safe_store():
    # Rasa's FailSafeTrackerStore keeps a conversation it could not save in memory, and the visitor would be
    # answered with nothing stored: the error passes through it to the channel (channels/guard.py)
    from rasa.core.tracker_store import FailSafeTrackerStore

    from stores.database import ConversationNotSaved

    unreachable = DatabaseTrackerStore(Domain.empty(), host="postgresql://clinic:x@127.0.0.1:9/clinic")
    assert not unreachable.reachable()
    with pytest.raises(ConversationNotSaved) as refused:
        asyncio.run(FailSafeTrackerStore(unreachable).save(conversation("visitor", 0)))
    assert "serotonin" not in str(refused.value) and "sleep" not in str(refused.value)
