"""Follow-ups about the last answer: "tell me more", "how does it do that?", "is that proven?", "knees too?".

The slot `last_topic` holds the FAQ topic of the last answer (set from the faq_<topic> intent, domain/faq.yml).
The reply is the article passage that answer was written from, verbatim with its source: more detail, and
still nothing the clinic's articles don't say.

A short message the classifier can't place, sent right after an answer ("knees specifically", "what
techniques?", "restoring function?"), is read the same way: on its own it names no topic, but in the
conversation it continues the last one (actions/fallback.py decides, before offering "did you mean ...?").
"""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from clinic.follow_ups import asked_topic
from clinic.knowledge import cite, passage_for, words
from clinic.topics import FAQ_INTENT_PREFIX, FAQ_RESPONSE_PREFIX, faq_answer, topic_of

LAST_TOPIC = "last_topic"
TELL_MORE = "action_tell_more"
# a passage that adds fewer new words than this is the answer again: say that the articles say no more
MIN_NEW_WORDS = 8
def just_answered(tracker: Tracker) -> Optional[Text]:
    """The topic of the bot's reply to the previous message, if that reply was an FAQ answer or more on one."""
    seen_latest_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_latest_message:
                return None
            seen_latest_message = True
        elif seen_latest_message and event.get("event") == "action":
            name = event.get("name") or ""
            if name.startswith(FAQ_RESPONSE_PREFIX) or name == TELL_MORE:
                return tracker.get_slot(LAST_TOPIC)
    return None


def tell_more(dispatcher: CollectingDispatcher, domain: Dict[Text, Any], topic: Optional[Text]) -> None:
    """The article passage behind the topic's answer, with its source."""
    answer = faq_answer(domain, topic)
    if not answer:
        dispatcher.utter_message(response="utter_ask_which_topic")
        return
    passage = passage_for(answer["text"], (answer.get("metadata") or {}).get("sources") or [])
    if len(words(passage.text) - words(answer["text"])) < MIN_NEW_WORDS:
        dispatcher.utter_message(response="utter_nothing_more")
        return
    dispatcher.utter_message(text=cite(passage.text, [passage.title]), buttons=answer.get("buttons") or [])


class ActionTellMore(Action):
    def name(self) -> Text:
        return TELL_MORE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        topic = tracker.get_slot(LAST_TOPIC)
        # "what is chronic pain?" then "and how can massage help manage it?": the answer on managing it, not more
        # on what it is
        helped = topic and topic_of(asked_topic(f"{FAQ_INTENT_PREFIX}{topic}", tracker.latest_message.get("text") or ""))
        if helped and helped != topic:
            dispatcher.utter_message(response=f"{FAQ_RESPONSE_PREFIX}{helped}")
            return [SlotSet(LAST_TOPIC, helped)]
        tell_more(dispatcher, domain, topic)
        return []
