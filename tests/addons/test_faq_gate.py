from rasa.shared.nlu.training_data.message import Message

from addons.faq_gate import FaqGate

GATE = FaqGate(FaqGate.get_default_config())


def parsed(text, intent="faq", ranking=(("sleep", 0.9), ("stress_anxiety", 0.05))):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.95})
    message.set("intent_ranking", [{"name": intent, "confidence": 0.95}])
    entries = [{"intent_response_key": f"faq/{t}", "confidence": c} for t, c in ranking]
    message.set("response_selector", {"all_retrieval_intents": ["faq"], "faq": {"response": entries[0], "ranking": entries}})
    GATE.process([message])
    return message


def test_button_payload_selects_that_topic_exactly():
    message = parsed("/faq/stress_anxiety")
    assert message.get("intent") == {"name": "faq", "confidence": 1.0}
    response = message.get("response_selector")["faq"]["response"]
    assert response["utter_action"] == "utter_faq/stress_anxiety"


def test_payload_for_unknown_topic_falls_back():
    assert parsed("/faq/cure_everything").get("intent")["name"] == "nlu_fallback"


def test_confident_topic_passes():
    message = parsed("can massage help me sleep")
    assert message.get("intent")["name"] == "faq"


def test_low_topic_confidence_falls_back_keeping_candidates():
    message = parsed("massage and stuff", ranking=(("sleep", 0.4), ("stress_anxiety", 0.3)))
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("intent_ranking")[1]["name"] == "faq"


def test_two_close_topics_fall_back():
    message = parsed("blood and lymph", ranking=(("lymph_flow", 0.52), ("blood_circulation", 0.46)))
    assert message.get("intent")["name"] == "nlu_fallback"


def test_other_intents_are_untouched():
    message = parsed("hello", intent="greet", ranking=(("sleep", 0.2), ("stress_anxiety", 0.2)))
    assert message.get("intent")["name"] == "greet"
