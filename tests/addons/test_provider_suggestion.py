"""A personal or medical question gets utter_suggest_provider, tailored on the Rasa server to the condition
mentioned (addons/clinic_responses.py, clinic/conditions.py); requests for a person, a booking or a diagnosis
get their own responses by rule."""
import asyncio

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.clinic_responses import ClinicResponses
from clinic.conditions import CONDITIONS
from clinic.paths import ROOT
from tests.actions.helpers import payloads


@pytest.fixture(autouse=True)
def clinic_env(monkeypatch):
    monkeypatch.setenv("CLINIC_NAME", "Test Clinic")
    monkeypatch.setenv("CLINIC_PHONE", "+1 555 0199")
    monkeypatch.setenv("CLINIC_BOOKING_URL", "https://test.example/book")
    monkeypatch.setenv("EMERGENCY_NUMBER", "112")


def reply(domain, response, intent="personal_question", condition=None, slot=None, **parse):
    entities = [{"entity": "condition", "value": condition}] if condition else []
    events = [SlotSet("condition", slot)] if slot else []
    parse_data = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities, "text": "", **parse}
    tracker = DialogueStateTracker.from_events("someone", [*events, UserUttered("", parse_data["intent"], entities, parse_data)])
    generated = asyncio.run(ClinicResponses(domain=Domain.from_dict(domain)).generate(response, tracker, "rest"))
    assert generated, f"no response {response}"
    return generated, generated["text"]


def suggest(domain, condition=None, slot=None, **parse):
    return reply(domain, "utter_suggest_provider", condition=condition, slot=slot, **parse)


def test_pregnancy_is_referred_to_doctor_or_midwife_with_clinic_contact(domain):
    message, text = suggest(domain, condition="pregnancy")
    assert "during pregnancy" in text and "your doctor or midwife" in text
    assert "Test Clinic" in text and "+1 555 0199" in text and "https://test.example/book" in text
    # a button to what the articles do say about pregnancy, and one to book
    assert payloads(message) == ["/faq_pregnancy", "/book_appointment"]
    assert message["buttons"][0]["title"] == "Can massage ease pregnancy discomforts?"


@pytest.mark.parametrize("condition", ["blood_thinners", "medication", "hypertension"])
def test_medication_conditions_warn_against_changing_medication(domain, condition):
    _, text = suggest(domain, condition=condition)
    assert "don't change or stop any medication" in text


@pytest.mark.parametrize("condition", ["recent_surgery", "blood_clots", "osteoporosis", "chemotherapy"])
def test_contraindication_like_conditions_are_named_and_never_cleared(domain, condition):
    _, text = suggest(domain, condition=condition)
    assert CONDITIONS[condition].situation.strip() in text
    assert "is right for you" in text and "safe" not in text.lower()
    assert "don't change" not in text


def test_condition_remembered_in_slot_is_used_when_message_names_none(domain):
    _, text = suggest(domain, slot="osteoporosis")
    assert "with osteoporosis" in text


def test_without_condition_suggestion_is_general(domain):
    message, text = suggest(domain)
    assert "a healthcare provider" in text and "{" not in text
    assert payloads(message) == ["/book_appointment"]


def test_unknown_condition_value_falls_back_to_general(domain):
    _, text = suggest(domain, condition="something_new")
    assert "a healthcare provider" in text


def test_every_condition_renders_fully_and_buttons_point_to_existing_topics(domain):
    for condition in CONDITIONS:
        message, text = suggest(domain, condition=condition)
        assert "{" not in text, condition
        for payload in payloads(message):
            if payload.startswith("/faq_"):
                assert "utter_faq_" + payload[len("/faq_"):] in domain["responses"], condition


def test_each_request_is_answered_by_its_own_response():
    rules = yaml.safe_load((ROOT / "data" / "rules" / "provider.yml").read_text(encoding="utf-8"))["rules"]
    answered = {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules}
    assert answered == {"personal_question": "utter_suggest_provider", "request_human": "utter_request_human",
                        "book_appointment": "utter_book_appointment", "ask_diagnosis": "utter_no_diagnosis"}


def test_request_for_a_person_gives_phone(domain):
    _, text = reply(domain, "utter_request_human", intent="request_human")
    assert "+1 555 0199" in text


def test_booking_gives_booking_link(domain):
    _, text = reply(domain, "utter_book_appointment", intent="book_appointment")
    assert "https://test.example/book" in text


def test_diagnosis_is_declined_with_provider_and_emergency_number(domain):
    _, text = reply(domain, "utter_no_diagnosis", intent="ask_diagnosis", condition="fibromyalgia")
    assert "can't diagnose" in text and "112" in text


def test_a_past_red_flag_named_by_the_safety_layer_tailors_the_suggestion(domain):
    _, text = suggest(domain, safety={"red_flag": "stroke", "status": "past", "condition": "stroke"})
    assert "after a stroke" in text


def test_past_self_harm_gets_the_crisis_line_with_the_suggestion(domain, monkeypatch):
    monkeypatch.setenv("CRISIS_LINE", "116 123")
    _, text = suggest(domain, condition="mental_health")
    assert "116 123" in text and "mental health professional" in text
