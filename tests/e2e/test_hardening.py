"""Bad input to every public endpoint gets a clear 4xx (never a 500 or a stuck server); CORS and the API token.

Against the real servers. Property-based tests (hypothesis) drive the REST webhook and the NLU parse
endpoint with generated input; after each batch, a normal question must still be answered.
"""
import json
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Tuple

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addons.message_limit import MAX_ACCEPTED_CHARS, MAX_MESSAGE_CHARS
from tests.conftest import STACK_ENV

TOKEN = STACK_ENV["RASA_AUTH_TOKEN"]
SITE = STACK_ENV["CORS_ORIGINS"]
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def webhook(stack, channel="rest"):
    return f"{stack.rasa_url}/webhooks/{channel}/webhook"


def still_answers(stack):
    replies = stack.say("/faq_sleep", sender="after-bad-input")
    assert "serotonin" in replies[0]["text"]


BAD_REQUESTS: Dict[str, Tuple[Dict[str, Any], int]] = {
    "empty body": ({"data": b""}, 400),
    "invalid JSON": ({"data": b'{"sender": "a", "message": ', "headers": {"Content-Type": "application/json"}}, 400),
    "JSON list": ({"json": ["sender", "message"]}, 400),
    "JSON string": ({"json": "hello"}, 400),
    "missing sender": ({"json": {"message": "hi"}}, 400),
    "empty sender": ({"json": {"sender": " ", "message": "hi"}}, 400),
    "sender object": ({"json": {"sender": {"id": 1}, "message": "hi"}}, 400),
    "sender boolean": ({"json": {"sender": True, "message": "hi"}}, 400),
    "sender too long": ({"json": {"sender": "s" * 129, "message": "hi"}}, 400),
    "missing message": ({"json": {"sender": "a"}}, 400),
    "message number": ({"json": {"sender": "a", "message": 42}}, 400),
    "message list": ({"json": {"sender": "a", "message": ["hi"]}}, 400),
    "empty message": ({"json": {"sender": "a", "message": "   "}}, 400),
    "metadata string": ({"json": {"sender": "a", "message": "hi", "metadata": "x"}}, 400),
    "message over the limit": ({"json": {"sender": "a", "message": "a" * (MAX_ACCEPTED_CHARS + 1)}}, 413),
    "1 MB message": ({"json": {"sender": "a", "message": "massage " * 131072}}, 413),
    "metadata 990 levels deep": ({"data": ('{"sender": "a", "message": "hi", "metadata": ' + '{"a": ' * 990 + "1"
                                           + "}" * 991).encode(), "headers": {"Content-Type": "application/json"}}, 400),
}


@pytest.mark.parametrize("channel", ["rest", "callback"])
@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_bad_requests_get_a_clear_client_error(stack, channel, case):
    kwargs, status = BAD_REQUESTS[case]
    reply = requests.post(webhook(stack, channel), timeout=30, **kwargs)
    assert reply.status_code == status, reply.text[:300]
    assert reply.json()["message"]  # JSON with the reason


GOOD_ODD_MESSAGES = {
    "control characters": "hi\x00\x01\x1b[31m there\x7f",
    "emoji": "💆‍♀️ does massage help with stress? 😌",
    "right-to-left": "هل يساعد التدليك على النوم؟",
    "mixed direction": "massage \u202eevil\u202c for sleep",
    "at the limit": "does massage help with sleep? " * (MAX_MESSAGE_CHARS // 30),
    "numeric sender": None,
}


@pytest.mark.parametrize("case", GOOD_ODD_MESSAGES)
def test_odd_but_valid_messages_get_an_answer(stack, case):
    body = {"sender": 12345, "message": "can massage help me sleep?"} if case == "numeric sender" else \
        {"sender": f"odd-{case}", "message": GOOD_ODD_MESSAGES[case]}
    reply = requests.post(webhook(stack), json=body, timeout=60)
    assert reply.status_code == 200, reply.text[:300]
    assert reply.json() and reply.json()[0]["text"]


def test_wrong_method_is_refused(stack):
    assert requests.get(webhook(stack), timeout=10).status_code == 405


def test_very_many_messages_from_one_sender_are_all_answered_in_order(stack):
    sender = "flood"
    questions = [f"/faq_{topic}" for topic in ("lymph_flow", "sleep", "stress_anxiety", "headaches")] * 15

    def send(text):
        return requests.post(webhook(stack), json={"sender": sender, "message": text}, timeout=120)

    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(send, questions))
    assert [r.status_code for r in replies] == [200] * len(questions)
    assert all(r.json() and "Source:" in r.json()[0]["text"] for r in replies)
    tracker = stack.rasa.tracker(sender)
    assert sorted(e["text"] for e in tracker["events"] if e["event"] == "user") == sorted(questions)
    still_answers(stack)


@FUZZ
@given(body=JSON_VALUES)
def test_fuzz_rest_webhook_with_any_json(stack, body):
    reply = requests.post(webhook(stack), json=body, timeout=60)
    assert reply.status_code in (200, 400, 413), reply.text[:300]


# in every fuzzed message, and then in no log line (test_server_still_answers_after_the_fuzzing)
FUZZ_MARKER = "zebrashark"


@FUZZ
@given(sender=st.text(min_size=1, max_size=40), message=st.text(max_size=MAX_MESSAGE_CHARS + 50),
       start=st.sampled_from(["", "/", '/faq_sleep{"', "/restart "]))
def test_fuzz_rest_webhook_with_any_text(stack, sender, message, start):
    message = f"{start}{message} {FUZZ_MARKER}"
    reply = requests.post(webhook(stack), json={"sender": sender, "message": message}, timeout=60)
    assert reply.status_code in (200, 400, 413), reply.text[:300]
    if reply.status_code == 200:
        assert isinstance(reply.json(), list)


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_fuzz_rest_webhook_with_any_bytes(stack, raw):
    reply = requests.post(webhook(stack), data=raw, headers={"Content-Type": "application/json"}, timeout=60)
    assert reply.status_code in (200, 400, 413), reply.text[:300]


@FUZZ
@given(text=st.text(max_size=3000))
def test_fuzz_nlu_parse(stack, text):
    reply = requests.post(f"{stack.rasa_url}/model/parse", params={"token": TOKEN}, json={"text": text}, timeout=60)
    assert reply.status_code == 200, reply.text[:300]
    assert reply.json()["intent"]["name"]


@FUZZ
@given(body=JSON_VALUES | st.binary(max_size=500))
def test_fuzz_nlu_parse_with_any_body(stack, body):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = requests.post(f"{stack.rasa_url}/model/parse", params={"token": TOKEN}, data=data, timeout=60)
    assert reply.status_code in (200, 400), reply.text[:300]


def test_server_still_answers_after_the_fuzzing(stack):
    still_answers(stack)
    for log in stack.workdir.glob("*.log"):
        lines = [line for line in log.read_text(errors="replace").splitlines() if FUZZ_MARKER in line]
        assert not lines, f"{log.name}: {lines[:3]}"


def test_nlu_parse_needs_the_token(stack):
    reply = requests.post(f"{stack.rasa_url}/model/parse", json={"text": "hi"}, timeout=10)
    assert reply.status_code == 401


def preflight(stack, origin):
    return requests.options(webhook(stack), timeout=10, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
    })


def test_cors_allows_only_the_configured_origins(stack):
    assert preflight(stack, SITE).headers.get("Access-Control-Allow-Origin") == SITE
    assert "Access-Control-Allow-Origin" not in preflight(stack, "https://evil.example").headers
    reply = requests.post(webhook(stack), json={"sender": "cors", "message": "hi"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in reply.headers


@pytest.mark.parametrize("origin, status", [(SITE, 200), (None, 200), ("https://evil.example", 400)])
def test_socketio_accepts_only_its_own_and_the_configured_origins(stack, origin, status):
    headers = {"Origin": origin} if origin else {}
    reply = requests.get(f"{stack.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"},
                         headers=headers, timeout=10)
    assert reply.status_code == status, reply.text[:200]


def test_socketio_accepts_the_widget_served_from_the_server_itself(stack):
    reply = requests.get(f"{stack.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"},
                         headers={"Origin": stack.rasa_url}, timeout=10)
    assert reply.status_code == 200


def test_socketio_does_not_trust_the_host_header(stack):
    # a DNS-rebinding page: its origin and the Host header both name the attacker's domain
    port = stack.rasa_url.rsplit(":", 1)[1]
    reply = requests.get(f"{stack.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10,
                         headers={"Origin": f"http://evil.example:{port}", "Host": f"evil.example:{port}"})
    assert reply.status_code == 400


@pytest.mark.parametrize("params", [{}, {"token": "wrong"}])
def test_without_the_token_a_bad_body_is_refused_as_unauthorised_not_explained(stack, params):
    reply = requests.post(f"{stack.rasa_url}/model/parse", params=params, data=b"not json", timeout=10)
    assert reply.status_code == 401


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/chat/", "/socket.io/?EIO=4&transport=polling"])
def test_an_impossible_content_length_is_refused_at_once(stack, path):
    host, port = stack.rasa_url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: -1\r\n\r\n{}".encode())
        assert connection.recv(100).startswith(b"HTTP/1.1 400")  # not held open until a timeout
