"""Follow-ups about the last answer: "tell me more", "how does it do that?", "is that proven?".

The slot `last_topic` holds the FAQ topic of the last answer (set from the faq_<topic> intent, domain.yml).
The reply is the article passage that answer was written from, verbatim with its source: more detail, and
still nothing the clinic's articles don't say.
"""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import SOURCE_LINE, answer_body, passage_for, words
from actions.topics import faq_answer

LAST_TOPIC = "last_topic"
# a passage that adds fewer new words than this is the answer again: say that the articles say no more
MIN_NEW_WORDS = 8


class ActionTellMore(Action):
    def name(self) -> Text:
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        answer = faq_answer(domain, tracker.get_slot(LAST_TOPIC))
        if not answer:
            dispatcher.utter_message(response="utter_ask_which_topic")
            return []
        passage = passage_for(answer["text"], (answer.get("metadata") or {}).get("sources") or [])
        if len(words(passage.text) - words(answer_body(answer["text"]))) < MIN_NEW_WORDS:
            dispatcher.utter_message(response="utter_nothing_more")
            return []
        dispatcher.utter_message(text=f"{passage.text}{SOURCE_LINE}{passage.title}", buttons=answer.get("buttons") or [])
        return []
