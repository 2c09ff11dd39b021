import pytest

from actions.safety import ActionEmergencyReferral
from tests.actions.helpers import make_tracker, render, run_action


@pytest.fixture(autouse=True)
def emergency_env(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "000")
    monkeypatch.setenv("CRISIS_LINE", "13 11 14")


def refer(domain, red_flag=None):
    entities = [{"entity": "red_flag", "value": red_flag}] if red_flag else []
    messages, events = run_action(ActionEmergencyReferral(), make_tracker("emergency", entities), domain)
    assert events == [] and len(messages) == 1
    return messages[0]["response"], render(messages[0], domain)


@pytest.mark.parametrize("kind", ["cardiac", "stroke", "breathing", "overdose", "severe_injury", "blood_clot"])
def test_physical_red_flags_get_the_emergency_number(domain, kind):
    response, text = refer(domain, kind)
    assert response == "utter_emergency"
    assert "call 000" in text


def test_self_harm_gets_the_crisis_line_and_emergency_number(domain):
    response, text = refer(domain, "self_harm")
    assert response == "utter_crisis"
    assert "13 11 14" in text and "000" in text


def test_emergency_found_by_the_classifier_alone_still_names_both_lines(domain):
    response, text = refer(domain)
    assert response == "utter_emergency"
    assert "000" in text and "13 11 14" in text
