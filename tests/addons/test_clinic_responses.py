"""The Rasa server fills the clinic's details into responses itself: no action server is needed for them."""
import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from addons.clinic_responses import ClinicResponses
from tests.conftest import ROOT


@pytest.fixture
def generator(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "999")
    monkeypatch.setenv("CRISIS_LINE", "116 123")
    monkeypatch.setenv("CLINIC_PHONE", "+44 20 7946 0000")
    return ClinicResponses(domain=Domain.load(str(ROOT / "domain.yml")))


def generate(generator, response, **values):
    tracker = DialogueStateTracker.from_events("someone", [])
    return asyncio.run(generator.generate(response, tracker, "rest", **values))["text"]


def test_emergency_reply_names_the_configured_emergency_number(generator):
    assert "call 999 right now" in generate(generator, "utter_emergency")


def test_crisis_reply_gives_the_crisis_line_first(generator):
    text = generate(generator, "utter_crisis")
    assert text.index("116 123") < text.index("999")


def test_medication_reply_has_the_clinic_number_and_no_unfilled_placeholder(generator):
    text = generate(generator, "utter_medication_or_cure")
    assert "+44 20 7946 0000" in text and "{" not in text


def test_values_an_action_passes_still_win(generator):
    assert "call 000 right now" in generate(generator, "utter_emergency", emergency_number="000")


def answer_to(generator, parse):
    from rasa.shared.core.events import UserUttered

    tracker = DialogueStateTracker.from_events("someone", [UserUttered(parse["text"], parse["intent"], parse.get("entities"), parse)])
    return asyncio.run(generator.generate("utter_faq_fibromyalgia", tracker, "rest"))


def test_an_answer_flagged_for_a_pointer_ends_with_one_tailored_to_the_condition(generator):
    parse = {"text": "I have fibro and it flares in winter, can massage help with fibromyalgia pain",
             "intent": {"name": "faq_fibromyalgia", "confidence": 0.8}, "provider_pointer": True,
             "entities": [{"entity": "condition", "value": "fibromyalgia", "start": 7, "end": 12}]}
    response = answer_to(generator, parse)
    answer, pointer = response["text"].split("\n\n", 2)[0], response["text"].rsplit("\n\n", 1)[1]
    assert answer.startswith("Fibromyalgia is one of the conditions")
    assert pointer.startswith("How this applies to you with fibromyalgia is a question for your doctor")
    assert "+44 20 7946 0000" in pointer and "{" not in pointer
    assert response["buttons"][-1]["payload"] == "/book_appointment"


def test_an_answer_without_the_flag_is_the_plain_answer(generator):
    parse = {"text": "does massage help fibromyalgia", "intent": {"name": "faq_fibromyalgia", "confidence": 0.9}}
    response = answer_to(generator, parse)
    assert "How this applies to you" not in response["text"]
    assert "/book_appointment" not in [b["payload"] for b in response.get("buttons") or []]
