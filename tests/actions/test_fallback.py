import pytest
from rasa_sdk.events import ActiveLoop, FollowupAction

from actions.fallback import (
    ActionDeclineUnlessFollowUp,
    ActionDefaultAskAffirmation,
    continues_last_answer,
    did_you_mean_buttons,
)
from tests.actions.helpers import make_tracker, payloads, render, run_action


@pytest.fixture(autouse=True)
def clinic_env(monkeypatch):
    monkeypatch.setenv("CLINIC_PHONE", "+1 555 0123")


def unclear_parse(faq_confidence=0.55, topics=(("lymph_flow", 0.51), ("blood_circulation", 0.46), ("sleep", 0.03))):
    """A parse the FAQ gate turned into nlu_fallback: `topics` are confidences given that it is an FAQ."""
    faq_intents = [{"name": f"faq_{t}", "confidence": c * faq_confidence} for t, c in topics]
    others = [{"name": "personal_question", "confidence": 0.2}, {"name": "greet", "confidence": 0.15}]
    ranking = sorted(faq_intents + others, key=lambda entry: -entry["confidence"])
    return {"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4}] + ranking}


def test_did_you_mean_offers_likely_topics_with_their_titles(domain):
    buttons = did_you_mean_buttons(unclear_parse(), domain)
    assert [b["payload"] for b in buttons] == ["/faq_lymph_flow", "/faq_blood_circulation", "/personal_question"]
    assert buttons[0]["title"] == "How does massage help lymph flow?"


def test_did_you_mean_reads_the_gates_faq_summary(domain):
    # the stored ranking keeps ten intents; the topics come from the summary of all of them
    parse = {"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.2}],
             "faq": {"confidence": 0.6, "topics": [{"name": "faq_sleep", "confidence": 0.5},
                                                    {"name": "faq_headaches", "confidence": 0.4}]}}
    assert [b["payload"] for b in did_you_mean_buttons(parse, domain)] == ["/faq_sleep", "/faq_headaches"]


def test_did_you_mean_never_offers_unlikely_or_chitchat_intents(domain):
    buttons = did_you_mean_buttons(unclear_parse(faq_confidence=0.05), domain)
    assert [b["payload"] for b in buttons] == ["/personal_question"]


def test_ask_affirmation_adds_something_else(domain):
    tracker = make_tracker("nlu_fallback", **unclear_parse())
    messages, _ = run_action(ActionDefaultAskAffirmation(), tracker, domain)
    assert messages[0]["response"] == "utter_did_you_mean"
    assert payloads(messages[0])[-1] == "/out_of_scope"


def test_ask_affirmation_without_candidates_asks_to_rephrase(domain):
    tracker = make_tracker("nlu_fallback", intent_ranking=[{"name": "nlu_fallback", "confidence": 0.3}])
    messages, _ = run_action(ActionDefaultAskAffirmation(), tracker, domain)
    assert messages[0]["response"] == "utter_ask_rephrase"


def test_giving_up_is_rasas_own_default_fallback_saying_who_can_help(domain):
    from rasa.core.actions.action import ActionDefaultFallback

    assert ActionDefaultFallback().utter_action == "utter_default"
    text = render({"response": "utter_default"}, domain)
    assert "can't answer" in text and "+1 555 0123" in text


def test_out_of_scope_is_declined_politely_with_contact(domain):
    messages, events = run_action(ActionDeclineUnlessFollowUp(), make_tracker("out_of_scope"), domain)
    text = render(messages[0], domain)
    assert "I'm sorry, I can't answer that" in text and "+1 555 0123" in text
    assert events == []


def answered(topic, text, topics=(), faq_confidence=0.5):
    """A tracker whose previous message got the answer on `topic`, and whose latest (`text`) was unclear."""
    tracker = make_tracker("nlu_fallback", slots={"last_topic": topic}, text=text,
                           **unclear_parse(faq_confidence, topics))
    tracker.events = [
        {"event": "user", "text": "does massage help osteoarthritis"},
        {"event": "action", "name": f"utter_faq_{topic}"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text},
    ]
    return tracker


def decision(tracker, domain):
    return continues_last_answer(tracker, did_you_mean_buttons(tracker.latest_message, domain))


def test_a_short_unclear_message_right_after_an_answer_continues_it(domain):
    assert decision(answered("osteoarthritis", "knees specifically"), domain) == "osteoarthritis"
    # the last topic is among the ones it could mean
    assert decision(answered("osteoarthritis", "what about the knees",
                             [("range_of_motion", 0.4), ("osteoarthritis", 0.3)]), domain) == "osteoarthritis"


def test_an_unclear_message_that_could_only_mean_other_topics_or_is_long_or_comes_first_does_not(domain):
    assert decision(answered("sleep", "flexibility", [("range_of_motion", 0.45), ("deep_tissue", 0.4)]), domain) is None
    # weak guesses at other topics are no reason to ask back
    assert decision(answered("sleep", "and for the elderly?", [("depression_mood", 0.13), ("advanced_massage", 0.1)],
                             faq_confidence=0.2), domain) == "sleep"
    assert decision(answered("osteoarthritis", "and what would you say about my knees and hips then"), domain) is None
    first = answered("osteoarthritis", "knees specifically")
    first.events = first.events[-1:]  # nothing was answered before it
    assert decision(first, domain) is None


def test_such_a_follow_up_gets_more_on_the_last_answer_not_buttons(domain):
    messages, events = run_action(ActionDefaultAskAffirmation(), answered("osteoarthritis", "knees specifically"), domain)
    assert messages == []
    assert events == [ActiveLoop(None), FollowupAction("action_tell_more")]


def test_out_of_scope_about_it_right_after_an_answer_gets_more_on_that_answer(domain):
    tracker = answered("sleep", "what has serotonin got to do with it")
    tracker.latest_message["intent"] = {"name": "out_of_scope", "confidence": 0.7}
    messages, events = run_action(ActionDeclineUnlessFollowUp(), tracker, domain)
    assert messages == [] and events == [FollowupAction("action_tell_more")]


@pytest.mark.parametrize("text, after_an_answer", [
    ("what has serotonin got to do with it", False),   # nothing was answered before it
    ("what's the weather like today", True),             # about nothing that was said
    ("can you help me write my will, I need it done", True),  # about the visitor
])
def test_other_out_of_scope_messages_still_get_cannot_answer(domain, text, after_an_answer):
    tracker = answered("sleep", text)
    if not after_an_answer:
        tracker.events = tracker.events[-1:]
    messages, events = run_action(ActionDeclineUnlessFollowUp(), tracker, domain)
    assert messages[0]["response"] == "utter_default" and events == []
