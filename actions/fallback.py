"""What the assistant does when it can't or shouldn't answer: out of scope, unsure, or giving up."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import ClinicDetails
from actions.topics import faq_button, faq_share, topic_of

# titles of the non-FAQ intents that may be offered as "did you mean ...?" (never chit-chat or emergency)
INTENT_TITLES = {
    "personal_question": "A question about my own health",
    "book_appointment": "Book an appointment",
    "request_human": "Talk to a person",
    "ask_diagnosis": "What is causing my symptoms?",
    "ask_capabilities": "What can I ask?",
}
MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.1


def cannot_answer(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_cannot_answer", **ClinicDetails.from_env().template_values())


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


class ActionDefaultAskAffirmation(Action):
    """First stage of the two-stage fallback: offer likely meanings, or ask to rephrase."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        buttons = did_you_mean_buttons(tracker.latest_message, domain)
        if not buttons:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons.append({"title": "Something else", "payload": "/out_of_scope"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []


class ActionDefaultFallback(Action):
    """Last stage of the fallback: say plainly that we don't know, and who can help."""

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        cannot_answer(dispatcher)
        return [UserUtteranceReverted()]


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        cannot_answer(dispatcher)
        return []
