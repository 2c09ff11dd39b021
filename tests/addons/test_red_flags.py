"""The deterministic red-flag patterns alone, without any model."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.red_flags import RedFlagDetector, detect_red_flag
from evaluation.heldout import ROOT, load_examples

HELDOUT = load_examples()
TRAINING = [pair for path in sorted((ROOT / "data" / "nlu").glob("*.yml")) for pair in load_examples(path)]


@pytest.mark.parametrize("text", [t for t, label in HELDOUT + TRAINING if label == "emergency"])
def test_every_red_flag_example_is_caught_by_the_patterns(text):
    assert detect_red_flag(text) is not None


def test_no_ordinary_question_is_flagged():
    flagged = [(t, label) for t, label in HELDOUT + TRAINING if label != "emergency" and detect_red_flag(t)]
    assert flagged == []


@pytest.mark.parametrize(
    "text, kind",
    [
        ("I want to kill myself", "self_harm"),
        ("my dad has crushing chest pain", "cardiac"),
        ("her face is drooping and her speech is slurred", "stroke"),
        ("I can\u2019t breathe", "breathing"),
        ("my calf is swollen and hot and I'm short of breath", "breathing"),
        ("I took too many pills", "overdose"),
        ("he is bleeding heavily", "severe_injury"),
    ],
)
def test_kinds(text, kind):
    assert detect_red_flag(text) == kind


def test_detector_overrides_a_confident_faq_prediction():
    message = Message(data={"text": "does massage help chest pain? I have chest pain now"})
    message.set("intent", {"name": "faq", "confidence": 0.99})
    message.set("intent_ranking", [{"name": "faq", "confidence": 0.99}])
    RedFlagDetector().process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert [e["value"] for e in message.get("entities") if e["entity"] == "red_flag"] == ["cardiac"]


def test_detector_leaves_ordinary_messages_alone():
    message = Message(data={"text": "can massage help my stiff neck"})
    message.set("intent", {"name": "faq", "confidence": 0.9})
    RedFlagDetector().process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 0.9}


def test_span_points_at_the_red_flag_in_the_original_text():
    text = "hi, my dad has crushing  chest\tpain right now"
    message = Message(data={"text": text})
    RedFlagDetector().process([message])
    entity = next(e for e in message.get("entities") if e["entity"] == "red_flag")
    assert text[entity["start"]:entity["end"]] == "chest\tpain"
