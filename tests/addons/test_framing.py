"""RequestFraming: greetings, request formulas, hearsay and sign-offs are taken off the question."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.framing import RequestFraming, unwrap
from addons.message_limit import FULL_TEXT


@pytest.mark.parametrize("text, expected", [
    ("Good evening. I would be most grateful if you could explain how massage affects sleep.",
     "how massage affects sleep."),
    ("Dear team, I am writing to enquire whether massage is used after knee surgery. Kind regards, Ann",
     "massage is used after knee surgery."),
    ("hi there! could you please tell me what deep tissue massage does? thanks so much",
     "what deep tissue massage does?"),
    ("My mum has arthritis and would like to know if massage helps it", "My mum has arthritis and massage helps it"),
    ("I've heard that massage releases endorphins", "massage releases endorphins"),
    ("a friend told me massage is good for circulation", "massage is good for circulation"),
])
def test_the_wrapping_comes_off(text, expected):
    assert unwrap(text) == expected


@pytest.mark.parametrize("text", ["hi", "thanks!", "Good morning", "hi again", "hello friend", "I would like to book an appointment",
                                  "would you like to know more", "what's the weather"])
def test_a_message_that_is_only_a_greeting_or_has_no_wrapping_stays(text):
    assert unwrap(text) == text


def test_the_safety_layer_keeps_the_visitors_own_words():
    message = Message(data={"text": "Hello, I heard massage helps sleep"})
    RequestFraming().process([message])
    assert message.get("text") == "massage helps sleep"
    assert message.get(FULL_TEXT) == "Hello, I heard massage helps sleep"
