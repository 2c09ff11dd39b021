import pytest
from rasa_sdk.events import UserUtteranceReverted

from actions.fallback import (
    ActionDefaultAskAffirmation,
    ActionDefaultFallback,
    ActionOutOfScope,
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


def test_default_fallback_says_it_does_not_know_and_who_can_help(domain):
    messages, events = run_action(ActionDefaultFallback(), make_tracker("nlu_fallback"), domain)
    text = render(messages[0], domain)
    assert "can't answer" in text and "+1 555 0123" in text
    assert events == [UserUtteranceReverted()]


def test_out_of_scope_is_declined_politely_with_contact(domain):
    messages, events = run_action(ActionOutOfScope(), make_tracker("out_of_scope"), domain)
    text = render(messages[0], domain)
    assert "I'm sorry, I can't answer that" in text and "+1 555 0123" in text
    assert events == []
