"""BareFollowUp: a message of function words only ("how so?", "go on") is a follow-up, whatever the classifier said."""
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.follow_up import BareFollowUp, is_bare_follow_up


@pytest.mark.parametrize("text", ["how so?", "Why though?", "keep going", "and then what?", "is that proven?",
                                  "how does it do that", "what do they do?", "mm, go on then",
                                  "and how long do the effects last?", "does the relief last long"])
def test_messages_that_name_nothing_are_follow_ups(text):
    assert is_bare_follow_up(text)


@pytest.mark.parametrize("text", [
    "what about the weather?",              # a content word of its own
    "how do i make a will",                 # about the visitor
    "who made you",                         # about the bot
    "why does massage help with sleep so much",  # names a topic: the classifier decides
    "how does it do that? " * 5,            # too long to be a bare follow-up
    "",
    "?!",
])
def test_messages_with_content_or_a_subject_of_their_own_are_not(text):
    assert not is_bare_follow_up(text)


def reread(text, intent):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.3})
    BareFollowUp().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback", "faq_chronic_pain"])
def test_a_bare_follow_up_read_as_unclear_out_of_scope_or_a_guessed_topic_becomes_ask_more(intent):
    assert reread("how so?", intent) == "ask_more"


@pytest.mark.parametrize("intent", ["affirm", "thank", "goodbye", "emergency"])
def test_other_intents_stay(intent):
    assert reread("ok then", intent) == intent


def test_a_message_with_content_keeps_its_intent():
    assert reread("what about the weather?", "out_of_scope") == "out_of_scope"


def test_an_unclear_short_question_about_it_is_about_the_last_answer():
    assert reread("what does it do for the pain?", "nlu_fallback") == "ask_more"


def test_a_question_about_it_that_the_classifier_placed_keeps_its_intent():
    assert reread("is it raining in london today", "out_of_scope") == "out_of_scope"
    assert reread("does it help with sleep", "faq_sleep") == "faq_sleep"


@pytest.mark.parametrize("text, intent", [
    ("why?", "ask_diagnosis"), ("does it hurt?", "ask_diagnosis"), ("go on", "goodbye"), ("keep going", "goodbye"),
    ("is that proven?", "bot_challenge"), ("y tho", "nlu_fallback"), ("how", "greet"), ("how so?", "greet"),
])
def test_a_follow_up_mistaken_for_a_diagnosis_request_a_goodbye_or_a_bot_question_becomes_ask_more(text, intent):
    assert reread(text, intent) == "ask_more"


@pytest.mark.parametrize("text, intent", [
    ("why does my back hurt?", "ask_diagnosis"),   # about the visitor
    ("see ya", "goodbye"), ("nothing else", "goodbye"), ("that is all", "goodbye"),
    ("is this a real person?", "bot_challenge"), ("what are you", "bot_challenge"),
    ("how is it going", "greet"), ("how are you", "greet"), ("how's your day", "greet"), ("hi, how come", "greet"),
])
def test_real_diagnosis_requests_goodbyes_and_bot_questions_stay(text, intent):
    assert reread(text, intent) == intent


@pytest.mark.parametrize("text, intent", [("could you unpack that a bit?", "affirm"), ("ok keep talking", "goodbye"),
                                          ("keep goin", "goodbye"), ("can you go on please", "goodbye")])
def test_asking_to_go_on_in_other_words_is_a_follow_up(text, intent):
    assert reread(text, intent) == "ask_more"


def test_a_plain_yes_stays_a_yes():
    assert reread("yes please", "affirm") == "affirm"
