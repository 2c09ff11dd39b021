"""FaqGate: FallbackClassifier with the FAQ topics judged together, then the topic among them."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.faq_gate import FaqGate

GATE = FaqGate({**FaqGate.get_default_config(), "threshold": 0.4, "ambiguity_threshold": 0.05,
                "topic_threshold": 0.6, "topic_ambiguity_threshold": 0.1})


def parsed(*ranking, gate=GATE):
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={"text": "a question"})
    message.set("intent", dict(entries[0]))
    message.set("intent_ranking", entries)
    gate.process([message])
    return message


def test_a_confident_topic_passes():
    assert parsed(("faq_sleep", 0.9), ("faq_stress_anxiety", 0.05), ("greet", 0.05)).get("intent")["name"] == "faq_sleep"


def test_topics_count_together_against_other_intents():
    # no topic alone reaches 0.4, but the message is clearly an FAQ question, about sleep
    message = parsed(("faq_sleep", 0.35), ("faq_depression_mood", 0.1), ("greet", 0.05), *[(f"x{i}", 0.05) for i in range(10)])
    assert message.get("intent")["name"] == "faq_sleep"


def test_an_unsure_topic_falls_back_keeping_the_candidates():
    message = parsed(("faq_lymph_flow", 0.45), ("faq_blood_circulation", 0.4), ("greet", 0.15))
    assert message.get("intent")["name"] == "nlu_fallback"
    assert [entry["name"] for entry in message.get("intent_ranking")[1:3]] == ["faq_lymph_flow", "faq_blood_circulation"]


def test_an_unsure_message_falls_back():
    assert parsed(("greet", 0.3), ("thank", 0.25), ("faq_sleep", 0.2)).get("intent")["name"] == "nlu_fallback"


def test_two_close_kinds_of_message_fall_back():
    assert parsed(("book_appointment", 0.45), ("faq_pregnancy", 0.43), ("greet", 0.12)).get("intent")["name"] == "nlu_fallback"


def test_a_personal_question_the_topics_outweigh_together_stays_personal():
    gate = FaqGate({**GATE.component_config, "topic_threshold": 0.5})
    message = parsed(("personal_question", 0.4), ("faq_sleep", 0.35), ("faq_stress_anxiety", 0.25), gate=gate)
    assert message.get("intent")["name"] == "personal_question"


def test_the_parse_keeps_ten_intents_and_the_faq_summary_of_all():
    message = parsed(("greet", 0.6), *[(f"faq_{i}", 0.02) for i in range(20)])
    assert message.get("intent")["name"] == "greet" and len(message.get("intent_ranking")) == 10
    summary = message.get("faq")
    assert summary["confidence"] == pytest.approx(0.4) and len(summary["topics"]) == 5
    assert summary["topics"][0]["confidence"] == pytest.approx(0.05)
    assert "faq" in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize("ranking", [[], None])
def test_a_message_without_a_ranking_is_left_as_it_is(ranking):
    message = Message(data={"text": ""})
    message.set("intent", {"name": "nlu_fallback", "confidence": 0.0})
    message.set("intent_ranking", ranking)
    GATE.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


POINTING_GATE = FaqGate({**GATE.component_config, "pointer_threshold": 0.1})


def pointed(*ranking):
    return parsed(*ranking, gate=POINTING_GATE)


def test_an_faq_answer_read_as_personal_too_is_flagged_for_a_pointer():
    message = pointed(("faq_muscle_tension", 0.7), ("personal_question", 0.2), ("greet", 0.1))
    assert message.get("intent")["name"] == "faq_muscle_tension" and message.get("provider_pointer") is True
    assert "provider_pointer" in message.as_dict(only_output_properties=True)


def test_no_pointer_below_the_threshold_nor_without_an_faq_answer():
    assert not pointed(("faq_muscle_tension", 0.85), ("personal_question", 0.05), ("greet", 0.1)).get("provider_pointer")
    assert not pointed(("personal_question", 0.7), ("faq_muscle_tension", 0.2), ("greet", 0.1)).get("provider_pointer")
    assert not pointed(("faq_lymph_flow", 0.45), ("faq_blood_circulation", 0.4), ("personal_question", 0.15)).get("provider_pointer")


def test_an_faq_answer_to_someone_naming_their_own_condition_points_to_a_provider():
    from addons.faq_gate import wants_pointer

    migraine = [{"entity": "condition", "value": "migraines", "start": 10, "end": 19}]
    answered = {"intent": {"name": "faq_headaches"}, "intent_ranking": [{"name": "faq_headaches", "confidence": 1.0}]}
    assert wants_pointer({**answered, "text": "I've had migraines for years, can massage help?", "entities": migraine}, 0.5)
    # a condition in general, or first person with no condition, is a plain FAQ question
    assert not wants_pointer({**answered, "text": "can massage help migraines?", "entities": migraine}, 0.5)
    assert not wants_pointer({**answered, "text": "can I ask whether massage helps headaches", "entities": []}, 0.5)
