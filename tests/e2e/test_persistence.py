"""Nothing lost: a conversation continues across a Rasa restart and is read back whole through the HTTP API.

Run on the default SQLite file and on a real PostgreSQL server (DATABASE_URL). The HTTP API is on only
because RASA_AUTH_TOKEN is set, and needs that token.
"""
import asyncio

import pytest
import requests

from evaluation.widget_client import WidgetClient
from tests.conftest import STACK_ENV

TOKEN = STACK_ENV["RASA_AUTH_TOKEN"]
MARKER = "zebracorn"  # a word in a visitor's message that must never reach the logs


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def stack(request, stacks):
    if request.param == "postgresql":
        return stacks({"DATABASE_URL": request.getfixturevalue("postgres").url})
    return stacks()


def user_texts(tracker):
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


# Quick-reply payloads, not typed questions: this tests storage, not how a sentence is classified.
ASK_FIBROMYALGIA, ASK_PERSONAL = '/faq_fibromyalgia{"condition": "fibromyalgia"}', "/personal_question"


def test_conversation_survives_a_restart_and_is_read_back_in_full(stack):
    sender = "restart-visitor"
    first = stack.say(ASK_FIBROMYALGIA, sender)
    assert "Fibromyalgia is one of the conditions" in first[0]["text"]
    stack.say("/faq_lymph_flow", sender)

    stack.restart_rasa()

    # the slot remembered before the restart tailors the answer after it
    replies = stack.say(ASK_PERSONAL, sender)
    assert "right for you with fibromyalgia" in " ".join(r.get("text", "") for r in replies)

    tracker = stack.rasa.tracker(sender)
    assert user_texts(tracker) == [ASK_FIBROMYALGIA, "/faq_lymph_flow", ASK_PERSONAL]
    assert tracker["slots"]["condition"] == "fibromyalgia"
    bot_texts = [e["text"] for e in tracker["events"] if e["event"] == "bot"]
    assert bot_texts[0] == first[0]["text"] and len(bot_texts) >= 3


def test_http_api_needs_the_token(stack):
    url = f"{stack.rasa_url}/conversations/restart-visitor/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401
    assert requests.get(f"{stack.rasa_url}/status", timeout=10).status_code == 401


def test_logs_at_the_default_level_contain_no_message_text(stack):
    stack.say(f"does massage help with {MARKER} pain?", "log-visitor")
    stack.say(f"I'm worried about my {MARKER} diagnosis, what should I do?", "log-visitor")
    for log in stack.workdir.glob("*.log"):
        assert MARKER not in log.read_text(errors="replace"), f"message text found in {log.name}"


def test_while_postgresql_is_down_messages_are_refused_not_answered_unstored(stacks, postgres):
    """Nothing is answered that could not be stored: a 503 (REST) or an `unavailable` event (the widget),
    naming the emergency number; when the database is back, the conversation goes on where it was."""
    stack = stacks({"DATABASE_URL": postgres.url})
    stack.say("/faq_sleep", "outage")
    postgres.stop()
    try:
        reply = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=30,
                              json={"sender": "outage", "message": f"does massage help {MARKER}?"})
        assert reply.status_code == 503, reply.text[:300]
        assert "call 999" in reply.json()["message"]

        async def widget():
            visitor = WidgetClient(stack.rasa_url)
            await visitor.join()
            assert await visitor.ask({"message": f"is massage good for {MARKER}?"}) == "refused"
            await visitor.leave()
            return visitor

        visitor = asyncio.run(widget())
        assert "call 999" in visitor.unavailable[0] and not visitor.replies
    finally:
        postgres.start()
    assert "Fibromyalgia" in stack.say("/faq_fibromyalgia", "outage")[0]["text"]
    assert user_texts(stack.rasa.tracker("outage")) == ["/faq_sleep", "/faq_fibromyalgia"]
    for log in stack.workdir.glob("*.log"):
        assert MARKER not in log.read_text(errors="replace"), f"message text found in {log.name}"
