"""The Rasa server fills the clinic's details into responses itself: no action server is needed for them."""
import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from addons.clinic_responses import ClinicResponses
from clinic.paths import DOMAIN


@pytest.fixture
def generator(monkeypatch):
    monkeypatch.setenv("EMERGENCY_NUMBER", "999")
    monkeypatch.setenv("CRISIS_LINE", "116 123")
    monkeypatch.setenv("CLINIC_PHONE", "+44 20 7946 0000")
    return ClinicResponses(domain=Domain.load(str(DOMAIN)))


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


def reply(generator, response, channel="socketio"):
    tracker = DialogueStateTracker.from_events("someone", [])
    return asyncio.run(generator.generate(response, tracker, channel))


def test_on_sms_an_answer_ends_with_the_two_votes_after_its_own_choices(generator):
    own = reply(generator, "utter_faq_sleep", "rest")["buttons"]
    buttons = reply(generator, "utter_faq_sleep", "twilio")["buttons"]
    assert buttons[:len(own)] == own
    assert [b["payload"] for b in buttons[len(own):]] == [
        '/feedback{"helpful": "yes", "answer": "utter_faq_sleep"}', '/feedback{"helpful": "no", "answer": "utter_faq_sleep"}']


@pytest.mark.parametrize("response, channel", [("utter_faq_sleep", "socketio"), ("utter_faq_sleep", "rest"),
                                               ("utter_emergency", "twilio"), ("utter_greet", "twilio")])
def test_no_votes_where_the_channel_has_buttons_or_the_reply_is_no_answer(generator, response, channel):
    buttons = reply(generator, response, channel).get("buttons") or []
    assert not [b for b in buttons if b["payload"].startswith("/feedback")]


def test_the_emergency_reply_is_marked_and_its_first_link_dials_the_emergency_number(generator):
    response = reply(generator, "utter_emergency")
    assert response["kind"] == "emergency"
    assert response["links"][0] == {"title": "Call 999", "url": "tel:999"}


def test_the_crisis_reply_dials_the_crisis_line_first(generator):
    response = reply(generator, "utter_crisis")
    assert response["kind"] == "crisis"
    assert [link["url"] for link in response["links"]] == ["tel:116123", "tel:999"]


def test_a_reply_naming_the_clinic_gets_a_call_link_and_no_urgent_kind(generator):
    response = reply(generator, "utter_medication_or_cure")
    assert {"title": "Call the clinic", "url": "tel:+442079460000"} in response["links"]
    assert "kind" not in response


def test_an_faq_answer_has_no_links(generator):
    assert reply(generator, "utter_faq_sleep")["links"] == []


@pytest.mark.parametrize("number, link", [("(310) 555-0142", "tel:3105550142"), ("+44 20 7946 0000", "tel:+442079460000"),
                                          ("911", "tel:911")])
def test_a_number_as_people_write_it_becomes_a_number_a_phone_dials(number, link):
    from addons.clinic_responses import tel_link

    assert tel_link(number) == link


def test_the_website_chat_gets_the_links_and_kind_on_the_last_part_of_a_reply():
    from channels.socketio import WidgetOutput

    class Recorder:
        def __init__(self):
            self.sent = []

        async def emit(self, event, data, room=None):
            self.sent.append(data)

    sio = Recorder()
    output = WidgetOutput(sio, "bot_uttered")
    links = [{"title": "Call 999", "url": "tel:999"}]
    asyncio.run(output.send_response("visitor", {"text": "Call now.\n\nSecond part.", "links": links, "kind": "emergency",
                                                 "buttons": [{"title": "Book", "payload": "/book_appointment"}]}))
    assert sio.sent[0] == {"text": "Call now."}
    assert sio.sent[1]["links"] == links and sio.sent[1]["kind"] == "emergency"
    assert sio.sent[1]["quick_replies"][0]["payload"] == "/book_appointment"


def practical(generator, response):
    tracker = DialogueStateTracker.from_events("someone", [])
    return asyncio.run(generator.generate(response, tracker, "rest"))["text"]


def test_practical_answers_come_from_the_profile_as_it_is_now(generator, tmp_path, monkeypatch):
    from tests.actions.test_clinic import MINIMAL

    profile = tmp_path / "clinic.yml"
    monkeypatch.setenv("CLINIC_PROFILE", str(profile))
    profile.write_text(MINIMAL + 'opening_hours: ["Monday to Friday, 9 to 5"]\n')
    assert "- Monday to Friday, 9 to 5" in practical(generator, "utter_opening_hours")
    # an edit is live at the next message: no retraining, no restart
    profile.write_text(MINIMAL + 'opening_hours: ["Every day, 7 to 9"]\n')
    assert "- Every day, 7 to 9" in practical(generator, "utter_opening_hours")


@pytest.mark.parametrize("response, missing", [("utter_opening_hours", "our opening hours"), ("utter_prices", "our prices"),
                                               ("utter_location", "our address"), ("utter_languages", "the languages")])
def test_an_empty_field_gets_the_number_to_call_not_a_guess(generator, tmp_path, monkeypatch, response, missing):
    from tests.actions.test_clinic import MINIMAL

    profile = tmp_path / "clinic.yml"
    profile.write_text(MINIMAL)
    monkeypatch.setenv("CLINIC_PROFILE", str(profile))
    monkeypatch.delenv("CLINIC_PHONE")
    text = practical(generator, response)
    assert text.startswith(f"I don't have {missing}") and "+1 555 0100" in text and "{" not in text
