"""What the assistant does when a message is unclear or out of scope. (Giving up is Rasa's own
action_default_fallback: utter_default, "I can't answer that, here is who can help".)"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.context import TELL_MORE, just_answered
from clinic.follow_ups import refers_back
from clinic.topics import FAQ_INTENT_PREFIX, faq_button, faq_share, topic_of

# titles of the non-FAQ intents that may be offered as "did you mean ...?" (never chit-chat or emergency)
INTENT_TITLES = {
    "personal_question": "A question about my own health",
    "book_appointment": "Book an appointment",
    "request_human": "Talk to a person",
    "ask_diagnosis": "What is causing my symptoms?",
    "ask_capabilities": "What can I ask?",
    "ask_opening_hours": "Opening hours",
    "ask_prices": "Treatments and prices",
    "ask_location": "Where to find us",
    "ask_parking": "Parking and access",
    "ask_insurance": "Insurance and payment",
    "ask_cancellation_policy": "Cancelling an appointment",
    "ask_languages": "Languages we speak",
}
MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.1
# an unclear message of at most this many words, right after an answer, may continue it...
MAX_FOLLOW_UP_WORDS = 6
# ... unless it reads as an FAQ question (the topics' summed confidence) about another topic (its share), both
# at least this sure
OTHER_TOPIC_CONFIDENCE = 0.3


def did_you_mean_buttons(parse_data: Dict[Text, Any], domain: Dict[Text, Any]) -> List[Dict[Text, Text]]:
    """Up to three likely meanings of an unclear message: FAQ topics first, then other intents."""
    buttons: List[Dict[Text, Text]] = []
    intent_ranking = parse_data.get("intent_ranking") or []
    faq_confidence, topics = faq_share(parse_data)
    if faq_confidence >= MIN_SUGGESTION_CONFIDENCE:
        for intent, confidence in topics:
            if confidence >= MIN_SUGGESTION_CONFIDENCE:
                buttons.append(faq_button(domain, topic_of(intent)))
    for intent in intent_ranking:
        name: Optional[Text] = intent.get("name")
        if name in INTENT_TITLES and intent.get("confidence", 0.0) >= MIN_SUGGESTION_CONFIDENCE:
            buttons.append({"title": INTENT_TITLES[name], "payload": f"/{name}"})
    return buttons[:MAX_SUGGESTIONS]


def continues_last_answer(tracker: Tracker, buttons: List[Dict[Text, Text]]) -> Optional[Text]:
    """The last answer's topic, if the latest (unclear) message is a short follow-up on it: it came right after
    that answer, and it does not point at other topics only. One that does ("flexibility" after the sleep
    answer: read as an FAQ question, most likely range of motion) gets the buttons."""
    topic = just_answered(tracker)
    message = tracker.latest_message or {}
    if not topic or len(re.findall(r"\w+", message.get("text") or "")) > MAX_FOLLOW_UP_WORDS:
        return None
    offered = [b["payload"] for b in buttons if b["payload"].startswith(f"/{FAQ_INTENT_PREFIX}")]
    faq_confidence, topics = faq_share(message)
    points_elsewhere = (faq_confidence >= OTHER_TOPIC_CONFIDENCE and bool(topics)
                        and topics[0][1] >= OTHER_TOPIC_CONFIDENCE)
    return None if points_elsewhere and f"/{FAQ_INTENT_PREFIX}{topic}" not in offered else topic


class ActionDefaultAskAffirmation(Action):
    """First stage of the two-stage fallback: offer likely meanings, or ask to rephrase. A short follow-up on
    the answer just given ("knees specifically") gets more on that answer instead (actions/context.py)."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        buttons = did_you_mean_buttons(tracker.latest_message, domain)
        if continues_last_answer(tracker, buttons):
            # not unclear after all: the fallback loop ends, and the reply is the one "tell me more" gets
            return [ActiveLoop(None), FollowupAction(TELL_MORE)]
        if not buttons:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []


class ActionDeclineUnlessFollowUp(Action):
    """Out of scope: we can't answer (utter_default, as Rasa's own last fallback says). Unless, right after an answer, it is a short question about "it" or
    "the two" ("what's serotonin got to do with it"): on its own it reads as off-topic, in the conversation
    it asks about the answer just given, and gets more on it."""

    def name(self) -> Text:
        return "action_decline_unless_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if just_answered(tracker) and refers_back((tracker.latest_message or {}).get("text") or ""):
            return [FollowupAction(TELL_MORE)]
        dispatcher.utter_message(response="utter_default")
        return []
