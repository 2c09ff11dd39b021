"""Both real servers, talked to over HTTP through the REST channel, as a website or integration would."""
import asyncio
import json
import sqlite3
import time

import pytest
import requests

from clinic.knowledge import SOURCE_PREFIX
from scripts.unanswered import read_store, unanswered
from tests.conftest import DEFAULTS


@pytest.fixture
def actions_down(stack):
    """The action server stopped for one test, then started again for the next."""
    stack.actions.stop()
    yield
    stack.actions.start()


def texts(replies):
    return " ".join(r.get("text", "") for r in replies)


def test_topic_question_gets_its_answer_with_source_and_follow_ups(stack):
    replies = stack.say("does massage help with fibromyalgia?", sender="topic")
    assert "Fibromyalgia is one of the conditions" in replies[0]["text"]
    assert "Source: Benefits of Soft Tissue Massages" in replies[0]["text"]
    assert 2 <= len(replies[0]["buttons"]) <= 3


def test_follow_up_button_payload_answers_that_topic(stack):
    replies = stack.say("/faq_lymph_flow", sender="button")
    assert replies[0]["text"].startswith("Improved lymph flow helps remove lactic acid")


def test_tell_me_more_gives_the_article_passage_of_the_last_answer_then_follows_a_new_topic(stack):
    stack.say("/faq_sleep", sender="context")
    more = stack.say("/ask_more", sender="context")[0]
    assert "It also releases seratonin" in more["text"] and "endorphins" in more["text"]
    assert more["text"].endswith("Source: Benefits of Soft Tissue Massages") and more["buttons"]
    stack.say("/faq_stress_anxiety", sender="context")
    assert "feelings of stress and anxiety" in stack.say("/ask_more", sender="context")[0]["text"]


def test_a_bare_typed_follow_up_gets_more_on_the_last_answer(stack):
    stack.say("/faq_sleep", sender="bare-follow-up")
    assert "It also releases seratonin" in stack.say("how come?", sender="bare-follow-up")[0]["text"]


def test_a_short_unclear_message_right_after_an_answer_gets_more_on_it(stack):
    stack.say("/faq_sleep", sender="unclear-follow-up")
    more = stack.say("and for the elderly?", sender="unclear-follow-up")[0]
    assert "It also releases seratonin" in more["text"] and "Did you mean" not in more["text"]
    # the same message with nothing answered before it is unclear: likely meanings, or a request to rephrase
    assert "seratonin" not in texts(stack.say("and for the elderly?", sender="unclear-first"))


def test_an_off_topic_question_about_it_right_after_an_answer_is_about_that_answer(stack):
    stack.say("/faq_sleep", sender="about-it")
    assert "It also releases seratonin" in stack.say("whats oxytocin got to do with it", sender="about-it")[0]["text"]
    first = texts(stack.say("whats oxytocin got to do with it", sender="about-it-first"))
    assert "seratonin" not in first and "+1 555 0177" in first  # can't answer: here is who can help


def test_tell_me_more_with_nothing_said_yet_asks_which_topic(stack):
    assert "Which topic" in stack.say("/ask_more", sender="context-new")[0]["text"]


def test_a_general_question_with_a_personal_story_gets_the_answer_then_a_tailored_pointer(stack):
    text = texts(stack.say("hello, I've had migraines since I was a teenager and tried lots of things, my friend "
                           "mentioned massage, can massage actually help reduce migraine pain", sender="pointer"))
    answer, pointer = text.split(f"\n\n{SOURCE_PREFIX}")[0], text.rsplit("\n\n", 1)[1]
    assert "migraines and tension headaches" in answer
    assert pointer.startswith("How this applies to you with migraines is a question for your doctor")
    assert "E2E Clinic" in pointer and "+1 555 0177" in pointer


def test_is_it_right_for_me_button_gets_a_tailored_provider_suggestion(stack):
    answer = stack.say("/faq_pregnancy", sender="pregnancy-button")
    button = next(b for b in answer[0]["buttons"] if b["payload"].startswith("/personal_question"))
    assert button["payload"] == '/personal_question{"condition": "pregnancy"}'
    text = texts(stack.say(button["payload"], sender="pregnancy-button"))
    assert "during pregnancy" in text and "your doctor or midwife" in text


def test_personal_question_gets_a_provider_suggestion_with_clinic_details(stack):
    replies = stack.say("I'm 20 weeks pregnant, is it safe for me to get a massage?", sender="personal")
    text = texts(replies)
    assert "during pregnancy" in text and "your doctor or midwife" in text
    assert "E2E Clinic" in text and "+1 555 0177" in text


def test_emergency_gets_the_emergency_reply_first(stack):
    stack.say("hi", sender="emergency")
    replies = stack.say("my dad has crushing chest pain and is sweating", sender="emergency")
    assert "call 999" in replies[0]["text"]


def test_self_harm_gets_the_crisis_line(stack):
    replies = stack.say("i don't want to live anymore", sender="crisis")
    assert "116 123" in replies[0]["text"]


def test_a_red_flag_after_the_first_1000_characters_is_still_seen(stack):
    story = "I have a question about booking a massage for my shoulders and my lower back. " * 20
    replies = stack.say(story + "Sorry, my chest is crushing right now and my left arm is numb.", sender="long")
    assert len(story) > 1000 and "call 999" in replies[0]["text"]


def test_a_slash_command_cannot_hide_self_harm(stack):
    replies = stack.say("/greet I want to kill myself", sender="slash")
    assert replies[0]["text"].startswith("I'm really sorry") and "116 123" in replies[0]["text"]


def test_a_past_red_flag_gets_a_tailored_provider_suggestion_not_emergency_services(stack):
    text = texts(stack.say("I had a stroke two years ago, is massage OK for me now?", sender="past-stroke"))
    assert "after a stroke" in text and "call 999" not in text


def test_a_medication_question_gets_the_prescribing_doctor_not_an_faq_answer(stack):
    replies = stack.say("can massage take the place of my blood pressure medication?", sender="medication")
    assert "Only the doctor who prescribed your treatment can decide" in replies[0]["text"]
    assert "without medications" not in texts(replies)


def test_pain_relief_without_medicine_gets_the_drug_free_answer_then_the_medication_note(stack):
    text = texts(stack.say("could a massage ease everyday aches instead of pain pills?", sender="drug-free"))
    assert "natural, drug-free way to relieve pain" in text
    assert "Please don't change or stop any medication without the doctor who prescribed it." in text


def test_a_general_question_after_a_past_event_gets_the_answer_then_a_pointer_about_it(stack):
    text = texts(stack.say("I had a stroke in 2019 and recovered well, can massage help with stress?", sender="history"))
    assert "reduces feelings of stress and anxiety" in text
    assert "How this applies to you after a stroke is a question for your doctor" in text and "call 999" not in text


def test_out_of_scope_is_declined_with_contact(stack):
    replies = stack.say("can you recommend a good plumber near me?", sender="oos")
    assert "can't answer that" in replies[0]["text"] and "+1 555 0177" in replies[0]["text"]


def test_a_practical_question_is_answered_from_the_clinics_profile(stack):
    replies = stack.say("how much does a one hour massage cost?", sender="practical")
    assert replies[0]["text"].startswith("Our treatments and prices:")
    assert "- Deep tissue massage, 60 minutes: $110" in replies[0]["text"] and "+1 555 0177" in replies[0]["text"]


def test_unclear_message_offers_did_you_mean_then_answers_the_choice(stack):
    replies = stack.say("pain", sender="unclear")  # which of the pain topics? (chronic pain, after an operation, ...)
    assert replies[0]["text"] == "I'm not sure I understood. Did you mean one of these?"
    payloads = [b["payload"] for b in replies[0]["buttons"]]
    assert payloads[-1] == "/out_of_scope" and len(payloads) >= 2
    chosen = next(p for p in payloads if p.startswith("/faq_"))
    answer = stack.say(chosen, sender="unclear")
    assert "Source:" in answer[0]["text"]


def test_unanswered_report_groups_emergencies_unanswered_and_refused_with_counts_and_dates(stack):
    for sender in ("visitor-a", "visitor-b"):
        stack.say("Do you sell gift vouchers for Christmas?", sender=sender)
    stack.say("asdf qwer zxcv", sender="visitor-c")
    stack.say("my wife collapsed and she isn't breathing", sender="visitor-d")
    stack.say("does massage help with fibromyalgia?", sender="visitor-e")
    stack.say('/feedback{"helpful": "no", "answer": "utter_faq_fibromyalgia"}', sender="visitor-e")
    stack.say('/feedback{"helpful": "yes", "answer": "utter_faq_sleep"}', sender="visitor-f")
    tallies = asyncio.run(read_store(f"sqlite:///{stack.workdir / 'conversations.db'}"))
    # the stack is shared: other tests' messages are listed too
    refused = dict((text, count) for text, count, _ in tallies["refused"].rows())
    assert refused["do you sell gift vouchers for christmas?"] == 2
    assert "asdf qwer zxcv" in tallies["not_answered"].counts or "asdf qwer zxcv" in tallies["refused"].counts
    emergencies = {text: last for text, _, last in tallies["emergencies"].rows()}
    assert emergencies["my wife collapsed and she isn't breathing"] == time.strftime("%Y-%m-%d", time.gmtime())
    everything = [text for name in ("emergencies", "not_answered", "refused") for text in tallies[name].counts]
    assert "does massage help with fibromyalgia?" not in everything  # answered questions are not listed
    assert tallies["votes_no"].counts["utter_faq_fibromyalgia"] >= 1 and tallies["votes_yes"].counts["utter_faq_sleep"] >= 1
    ranked = asyncio.run(unanswered(f"sqlite:///{stack.workdir / 'conversations.db'}"))
    assert [count for _, count in ranked] == sorted((count for _, count in ranked), reverse=True)


def test_http_api_is_off_without_a_token(stacks):
    without_token = stacks(DEFAULTS)
    without_token.say("hi", sender="no-api")
    assert requests.get(f"{without_token.rasa_url}/conversations/no-api/tracker", timeout=10).status_code == 404
    assert requests.post(f"{without_token.rasa_url}/model/parse", json={"text": "hi"}, timeout=10).status_code == 404


def stored_bot_texts(stack, sender):
    """What the conversation store holds as the bot's replies to `sender` (SQLite, as the stack runs it)."""
    with sqlite3.connect(stack.workdir / "conversations.db") as database:
        rows = database.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'bot' ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def test_with_the_action_server_down_faq_answers_flow_and_actions_get_a_friendly_message(stack, actions_down):
    replies = stack.say("can massage help me sleep better?", sender="no-actions")
    assert "serotonin" in replies[0]["text"]
    # a provider suggestion is a response the Rasa server tailors itself: no action server needed
    replies = stack.say("I'm 20 weeks pregnant, is it safe for me to get a massage?", sender="no-actions")
    assert "doctor or midwife" in replies[0]["text"] and "+1 555 0177" in replies[0]["text"]
    # "tell me more" is a custom action: the visitor is told whom to call instead of silence
    replies = stack.say("/ask_more", sender="no-actions")
    assert len(replies) == 1 and "I can't answer that right now" in replies[0]["text"]
    assert "call E2E Clinic on +1 555 0177" in replies[0]["text"]
    # what the visitor was told is stored with the conversation, like any other reply
    assert stored_bot_texts(stack, "no-actions")[-1] == replies[0]["text"]


@pytest.mark.parametrize(
    "sender, message, first_words, number",
    [
        ("down-self-harm", "i keep thinking about ending my life tonight", "I'm really sorry you're going through this", "116 123"),
        ("down-cardiac", "my dad has crushing chest pain and is sweating", "This sounds like it could be a medical emergency", "call 999"),
        ("down-overdose", "my toddler swallowed a dishwasher pod", "This sounds like it could be a medical emergency", "call 999"),
    ],
)
def test_with_the_action_server_down_red_flags_get_their_full_reply_and_it_is_stored(
    stack, actions_down, sender, message, first_words, number
):
    replies = stack.say(message, sender=sender)
    assert replies[0]["text"].startswith(first_words) and number in replies[0]["text"]
    assert "I can't answer that right now" not in texts(replies)
    assert stored_bot_texts(stack, sender) == [r["text"] for r in replies]
