"""Nothing a visitor sent is lost, and none of their words reach the servers' logs."""
import asyncio
import json
import socket
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests

from evaluation.widget_client import WidgetClient

MARKER = "zebrafinch"  # a word no log line has any other reason to contain


def stored_user_texts(stack, sender):
    with sqlite3.connect(stack.workdir / "conversations.db") as database:
        rows = database.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def hang_up_after_sending(stack, sender, message):
    """POSTs the message and closes the connection at once, before any reply (a phone going into a tunnel)."""
    url = urlparse(stack.rasa_url)
    body = json.dumps({"sender": sender, "message": message}).encode()
    with socket.create_connection((url.hostname, url.port)) as connection:
        connection.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def test_a_message_whose_sender_hung_up_is_still_stored_and_answered(stack):
    for number in range(5):
        hang_up_after_sending(stack, "tunnel", f"can massage help me sleep? ({number})")
    deadline = time.monotonic() + 60
    while len(stored_user_texts(stack, "tunnel")) < 5 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert sorted(stored_user_texts(stack, "tunnel")) == [f"can massage help me sleep? ({n})" for n in range(5)]


def stored_events(stack, sender):
    with sqlite3.connect(stack.workdir / "conversations.db") as database:
        rows = database.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def test_with_the_callback_target_down_the_message_is_stored_and_the_failed_delivery_recorded(stack):
    # the stack's CALLBACK_URL is a port where nothing listens
    reply = requests.post(f"{stack.rasa_url}/webhooks/callback/webhook", timeout=60,
                          json={"sender": "callback-down", "message": "can massage help me sleep?"})
    assert reply.status_code == 200
    events = stored_events(stack, "callback-down")
    assert [e["text"] for e in events if e["event"] == "user"] == ["can massage help me sleep?"]
    assert any("serotonin" in e["text"] for e in events if e["event"] == "bot")
    assert [e["value"] for e in events if e["event"] == "slot" and e["name"] == "undelivered_replies"] == [1]


def test_no_visitor_words_in_the_logs_on_any_path(stack):
    webhook = f"{stack.rasa_url}/webhooks/rest/webhook"
    for number, message in enumerate([
        f"does massage help {MARKER} sleep?",  # an ordinary question
        f"/{MARKER} please",  # an intent that does not exist
        f'/faq_sleep{{"{MARKER}": ',  # broken entities
        f"my {MARKER} collapsed and isn't breathing",  # an emergency
    ]):
        requests.post(webhook, json={"sender": f"log-{number}", "message": message}, timeout=60)
    requests.post(webhook, json={"sender": "log-meta", "message": "hi", "metadata": {MARKER: MARKER}}, timeout=60)
    callback = f"{stack.rasa_url}/webhooks/callback/webhook"  # its target is down: a failed delivery is logged
    requests.post(callback, json={"sender": "log-callback", "message": f"can massage help {MARKER}?"}, timeout=60)
    requests.post(webhook, json={"sender": "log-long", "message": MARKER * 200}, timeout=60)
    hang_up_after_sending(stack, "log-hang-up", f"can massage help {MARKER}?")

    async def through_the_widget():
        visitor = WidgetClient(stack.rasa_url)
        await visitor.join()
        await visitor.ask({"message": f"does massage help {MARKER}?"})
        await visitor.ask({"message": MARKER * 1000})  # over the limit: refused with its reason
        await visitor.leave()

    asyncio.run(through_the_widget())
    time.sleep(5)
    for log in stack.workdir.glob("*.log"):
        lines = [line for line in log.read_text(errors="replace").splitlines() if MARKER in line]
        assert not lines, f"{log.name}: {lines[:3]}"


def stored_turns(stack, sender):
    with sqlite3.connect(stack.workdir / "conversations.db") as database:
        return [kind for (kind,) in database.execute(
            "SELECT type_name FROM events WHERE sender_id = ? AND type_name IN ('user', 'bot') ORDER BY id", (sender,))]


def test_a_burst_of_100_messages_from_one_sender_is_answered_one_after_the_other(stack):
    """One worker, the default (in-memory) lock store: each message waits for the one before to be answered."""
    def ask(number):
        return requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=60,
                             json={"sender": "burst", "message": f"can massage help me sleep? ({number})"})

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=100) as pool:
        replies = list(pool.map(ask, range(100)))
    seconds = time.monotonic() - started
    assert all(r.status_code == 200 and "serotonin" in r.json()[0]["text"] for r in replies)
    # in order: each message is followed by its own answer before the next message is read
    assert stored_turns(stack, "burst") == ["user", "bot"] * 100
    assert seconds < 20, f"{seconds:.1f} s"


def test_a_restart_in_the_middle_of_a_burst_loses_no_answered_message(stack):
    """The server stopping (a restart, a deployment) first finishes the messages it is handling."""
    def ask(number):
        text = f"can massage help me sleep? ({number})"
        try:
            reply = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=60,
                                  json={"sender": "restarted", "message": text})
            return text if reply.status_code == 200 and reply.json() else None
        except requests.RequestException:
            return None  # sent while the server was down: the visitor sees an error

    with ThreadPoolExecutor(max_workers=100) as pool:
        answers = pool.map(ask, range(100))
        time.sleep(1.5)  # a third of the burst is answered, the rest waits its turn
        stack.restart_rasa()
        answered = {text for text in answers if text}
    assert answered and answered <= set(stored_user_texts(stack, "restarted"))
