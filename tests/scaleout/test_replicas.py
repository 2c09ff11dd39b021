"""Scale-out on Rasa's own stores: two `rasa run` replicas, each with two Sanic workers, sharing a real
PostgreSQL tracker store and a real Redis lock store (Debian's servers, started on loopback).

A load balancer may send each message of a conversation to a different replica: here the test does so
explicitly, alternating, and then fires many messages of one conversation at both replicas at once.
"""
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from evaluation.stack import running_stack

TOKEN = "scale-out-token"
TOPICS = ["lymph_flow", "sleep", "stress_anxiety", "muscle_tension", "fibromyalgia", "blood_pressure",
          "inflammation", "endorphins", "headaches", "range_of_motion"]


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory, postgres, redis):
    env = {"DATABASE_URL": postgres.url, "REDIS_URL": redis.url, "SANIC_WORKERS": "2", "RASA_AUTH_TOKEN": TOKEN}
    with running_stack(trained_model, tmp_path_factory.mktemp("scale-out"), env, replicas=2) as started:
        yield started


@pytest.fixture(scope="module")
def answers(stack):
    """The answer text of each topic's payload, asked once in conversations of their own."""
    return {f"/faq_{topic}": stack.say(f"/faq_{topic}", f"answer-{topic}")[0]["text"] for topic in TOPICS}


def user_and_bot_events(tracker):
    return [(e["event"], e.get("text")) for e in tracker["events"] if e["event"] in ("user", "bot")]


def test_each_replica_runs_several_workers(stack):
    # each worker loads the model and says so; "/" answers as soon as the first one is up
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        counts = [replica.log.read_text().count("Rasa server is up and running") for replica in stack.replicas]
        if counts == [2, 2]:
            return
        time.sleep(1)
    pytest.fail(f"workers up per replica: {counts}, expected 2 each")


def test_a_conversation_alternating_between_replicas_keeps_its_context_and_order(stack):
    a, b = stack.replicas
    sender = "alternating"
    # quick-reply payloads, not typed questions: this tests scale-out, not how a sentence is classified
    turns = ['/faq_pregnancy{"condition": "pregnancy"}', "/faq_lymph_flow", "/personal_question", "/thank"]
    a.say(turns[0], sender)
    b.say(turns[1], sender)
    replies = a.say(turns[2], sender)  # the condition remembered on another replica
    assert "your doctor or midwife" in " ".join(r.get("text", "") for r in replies)
    b.say(turns[3], sender)
    for replica in (a, b):
        tracker = replica.tracker(sender)
        assert [t for kind, t in user_and_bot_events(tracker) if kind == "user"] == turns
        assert tracker["slots"]["condition"] == "pregnancy"


def test_concurrent_messages_to_one_conversation_are_serialised_by_the_redis_lock_store(stack, answers, redis):
    sender = "concurrent"
    redis.cli("CONFIG", "RESETSTAT")
    messages = [(stack.replicas[i % 2], f"/faq_{TOPICS[i % len(TOPICS)]}") for i in range(30)]

    def send(job):
        replica, text = job
        return requests.post(f"{replica.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=120)

    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        replies = list(pool.map(send, messages))
    assert [r.status_code for r in replies] == [200] * len(messages)
    for (_, text), reply in zip(messages, replies, strict=True):
        assert reply.json()[0]["text"] == answers[text]

    # In the stored conversation every question is directly followed by its own answer: no interleaving,
    # nothing lost, nothing twice.
    events = user_and_bot_events(stack.replicas[1].tracker(sender))
    users = [i for i, (kind, _) in enumerate(events) if kind == "user"]
    assert sorted(events[i][1] for i in users) == sorted(text for _, text in messages)
    for i in users:
        assert events[i + 1] == ("bot", answers[events[i][1]]), events[i:i + 3]
    stats = redis.cli("INFO", "commandstats")
    assert "cmdstat_set:" in stats, "the lock store did not use Redis"


def test_the_server_recovers_when_the_database_comes_back(stack, postgres):
    a, b = stack.replicas
    sender = "database-outage"
    a.say("/greet", sender)
    postgres.stop()
    try:
        # nothing is answered that could not be stored: a 503 naming the emergency number, not silence
        reply = requests.post(f"{a.url}/webhooks/rest/webhook", json={"sender": sender, "message": "/faq_sleep"},
                              timeout=30)
        assert reply.status_code == 503 and "emergency" in reply.json()["message"]
    finally:
        postgres.start()
    for replica in (a, b):
        replies = replica.say("/faq_stress_anxiety", sender)
        assert "Source:" in replies[0]["text"]
    texts = [t for kind, t in user_and_bot_events(b.tracker(sender)) if kind == "user"]
    assert texts == ["/greet", "/faq_stress_anxiety", "/faq_stress_anxiety"]
