"""The guard every channel's messages go through: nothing reaches the visitor before it is stored."""
import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.guard import ConversationStoreUnavailable, guarded
from stores.database import ConversationNotSaved


def run(handler, output):
    asyncio.run(handler(UserMessage("can massage help me sleep?", output, "visitor")))


def test_replies_are_held_until_the_message_is_handled_and_stored():
    visitor = CollectingOutputChannel()
    seen_while_handling = []

    async def handle(message):
        await message.output_channel.send_response(message.sender_id, {"text": "first part"})
        await message.output_channel.send_response(message.sender_id, {"text": "second part"})
        seen_while_handling.extend(visitor.messages)  # Rasa saves the conversation at the end of this

    run(guarded(handle), visitor)
    assert seen_while_handling == [] and [m["text"] for m in visitor.messages] == ["first part", "second part"]


def test_a_conversation_the_database_could_not_store_is_refused_not_answered():
    visitor = CollectingOutputChannel()

    async def handle(message):
        await message.output_channel.send_response(message.sender_id, {"text": "an answer"})
        raise ConversationNotSaved("could not save: OperationalError")

    with pytest.raises(ConversationStoreUnavailable, match="emergency"):
        run(guarded(handle), visitor)
    assert visitor.messages == []


def test_a_failed_handling_still_gets_an_apology_with_the_emergency_number(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "999")
    visitor = CollectingOutputChannel()

    async def handle(message):
        raise RuntimeError("the action server is down")

    run(guarded(handle), visitor)
    assert len(visitor.messages) == 1 and "call 999" in visitor.messages[0]["text"]
