"""The website chat's Socket.IO channel, with real Socket.IO clients: as strict as REST, and a conversation
only for the browser the server gave its token to."""
import asyncio
import json
import sqlite3
import sys
from typing import Any

import pytest
import socketio

from addons.message_limit import MAX_ACCEPTED_CHARS
from evaluation.widget_client import WidgetClient


def stored_user_texts(stack, sender):
    with sqlite3.connect(stack.workdir / "conversations.db") as database:
        rows = database.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def nested(levels):
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


BAD_MESSAGES = {
    "a number": 42,
    "an empty object": {},
    "a plain string": "can massage help me sleep?",
    "a number as message": {"message": 42},
    "too long": {"message": "m" * (MAX_ACCEPTED_CHARS + 1)},
    "metadata 900 deep": {"message": "hi", "metadata": nested(900)},
    "metadata a string": {"message": "hi", "metadata": "x"},
}


@pytest.fixture
def deep_packets():
    """This client walks a packet recursively: let it send the deep one (the server reads it iteratively)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)
    yield
    sys.setrecursionlimit(limit)


@pytest.mark.parametrize("case", BAD_MESSAGES)
def test_a_bad_message_gets_a_reason_is_not_stored_and_the_chat_goes_on(stack, case, deep_packets):
    async def scenario():
        visitor = WidgetClient(stack.rasa_url)
        session = await visitor.join()
        await visitor.ask(BAD_MESSAGES[case])
        assert visitor.problems and not visitor.replies, visitor.replies
        await visitor.ask({"message": "can massage help me sleep?"})
        assert "serotonin" in visitor.replies[0]["text"]
        await visitor.leave()
        return session["session_id"]

    session_id = asyncio.run(scenario())
    assert stored_user_texts(stack, session_id) == ["can massage help me sleep?"]


def test_a_900000_character_message_is_refused_unread_and_nothing_is_stored(stack):
    async def scenario():
        visitor = WidgetClient(stack.rasa_url)
        session = await visitor.join()
        try:
            await visitor.client.emit("user_uttered", {"message": "massage " * 112500})
        except socketio.exceptions.SocketIOError:
            pass  # the server closed the connection: the packet is over its limit
        await asyncio.sleep(2)
        assert not visitor.replies
        again = WidgetClient(stack.rasa_url)
        await again.join(session)
        await again.ask({"message": "can massage help me sleep?"})
        assert "serotonin" in again.replies[0]["text"]
        for client in (visitor, again):
            await client.leave()
        return session["session_id"]

    assert stored_user_texts(stack, asyncio.run(scenario())) == ["can massage help me sleep?"]


def test_a_message_before_any_session_is_refused_with_its_reason(stack):
    async def scenario():
        visitor = WidgetClient(stack.rasa_url)
        await visitor.client.connect(stack.rasa_url, transports=["polling"])
        await visitor.ask({"message": "hi", "session_id": "0" * 32})
        await visitor.leave()
        return visitor.problems

    assert "session_request" in asyncio.run(scenario())[0]
    assert stored_user_texts(stack, "0" * 32) == []


def test_a_conversation_is_resumed_only_with_its_token(stack):
    async def scenario():
        owner = WidgetClient(stack.rasa_url)
        session = await owner.join()
        assert len(session["session_id"]) == 32 and session["session_token"]
        await owner.ask({"message": "can massage help me sleep?"})

        # someone who learnt the session id, but not its token, gets a session of their own
        intruder = WidgetClient(stack.rasa_url)
        theirs = await intruder.join({"session_id": session["session_id"], "session_token": "0" * 64})
        assert theirs["session_id"] != session["session_id"]
        # naming the owner's session in a message does not write into it, nor show them its replies
        await intruder.ask({"message": "does massage help with fibromyalgia?", "session_id": session["session_id"]})
        await asyncio.sleep(1)
        assert [r for r in owner.replies if "ibromyalgia" in r["text"]] == []
        assert not [r for r in intruder.replies if "serotonin" in r["text"]]

        # the owner's browser, after a reload, resumes it with its token
        reloaded = WidgetClient(stack.rasa_url)
        assert (await reloaded.join(session))["session_id"] == session["session_id"]
        for visitor in (owner, intruder, reloaded):
            await visitor.leave()
        return session["session_id"], theirs["session_id"]

    owners, intruders = asyncio.run(scenario())
    assert stored_user_texts(stack, owners) == ["can massage help me sleep?"]
    assert stored_user_texts(stack, intruders) == ["does massage help with fibromyalgia?"]
