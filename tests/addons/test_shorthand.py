"""ShorthandExpander: clinic abbreviations and text-speak are spelled out before the classifiers read them."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.shorthand import ShorthandExpander, expand


@pytest.mark.parametrize("text, expected", [
    ("is DT good for OA?", "is deep tissue good for osteoarthritis?"),
    ("wat does massage do 4 ur muscles", "what does massage do 4 your muscles"),  # digits stay: "4 weeks"
    ("Chiro or physio, which first?", "chiropractor or physiotherapy, which first?"),
    ("massage w/ high bp", "massage with high blood pressure"),
    # lay words and idioms for the topics' subjects
    ("would a rubdown help me get some z's", "would a massage help me get some sleep"),
    ("massage for a pounding head post-op?", "massage for a headache after surgery?"),
    ("I wake up with sore heads, any use?", "I wake up with headaches, any use?"),
    ("RA flaring, should I move my appt?", "rheumatoid arthritis flaring, should I move my appointment?"),
    ("is massage ok with advanced dementia?", "is massage ok with late-stage dementia?"),
])
def test_shorthand_is_spelled_out(text, expected):
    assert expand(text) == expected


@pytest.mark.parametrize("text", ["bypass", "the romance of it", "Dr Oakley", "a top-up", "BPM", "u-turn"])
def test_only_whole_words_change(text):
    assert expand(text) == text


def test_training_examples_and_messages_are_expanded_but_not_button_payloads():
    messages = [Message(data={"text": "fibro and bp"}), Message(data={"text": "/faq_fibromyalgia"})]
    ShorthandExpander().process(messages)
    assert [m.get("text") for m in messages] == ["fibromyalgia and blood pressure", "/faq_fibromyalgia"]


def test_the_safety_layer_keeps_the_visitors_own_words():
    message = Message(data={"text": "cant breathe n my chest hurts"})
    ShorthandExpander().process([message])
    assert message.get("text") == "can't breathe and my chest hurts"
    assert message.get("full_text") == "cant breathe n my chest hurts"
