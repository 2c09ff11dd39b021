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
