"""Follow-ups about the last answer: "tell me more", "how does it do that?", "is that proven?", "knees too?".

The slot `last_topic` holds the FAQ topic of the last answer (set from the faq_<topic> intent, domain.yml).
The reply is the article passage that answer was written from, verbatim with its source: more detail, and
still nothing the clinic's articles don't say.

A short message the classifier can't place, sent right after an answer ("knees specifically", "what
techniques?", "restoring function?"), is read the same way: on its own it names no topic, but in the
conversation it continues the last one (actions/fallback.py decides, before offering "did you mean ...?").
"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import SOURCE_LINE, answer_body, passage_for, words
from actions.topics import FAQ_INTENT_PREFIX, FAQ_RESPONSE_PREFIX, faq_answer, topic_of

LAST_TOPIC = "last_topic"
TELL_MORE = "action_tell_more"
# a passage that adds fewer new words than this is the answer again: say that the articles say no more
MIN_NEW_WORDS = 8
# a message about the visitor ("how do i make a will") or who someone is ("who made you") is a request of its own
NOT_FOLLOW_UP = {"i", "i'm", "im", "my", "we", "our", "who"}
MAX_WORDS = 8
ANAPHORA = {"it", "that", "this", "they", "them", "those", "these", "both"}
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words_of(text: Text) -> List[Text]:
    return WORD.findall(text.lower().replace("’", "'"))


# a topic that says what something is -> the topic that says whether massage helps with it
HELP_TOPIC_OF_DEFINITION = {"faq_chronic_pain": "faq_pain_management"}
MANAGES = {"manage", "managing", "control", "controlling", "treat", "treating", "treatment", "cope", "coping"}
# words asking whether massage helps
HELPS = {"help", "helps", "helping", "helpful", "good", "worth", "benefit", "benefits", "beneficial", "ease",
         "relieve", "improve", "useful", "effective", "difference"}
# "and for chronic pain?", "what about for long-term pain": after an answer, whether massage helps with it too
ASKS_FOR_ANOTHER_CONDITION = re.compile(r"(and |so |ok |okay )?((what|how) about |and )?(for|with) ")


def asked_topic(topic: Text, text: Text) -> Text:
    """"Can massage help control pain that has lasted for years?" asks what the pain management answer says,
    not what chronic pain is: a question whether massage helps gets the help topic of a definition topic."""
    helped = HELP_TOPIC_OF_DEFINITION.get(topic)
    words = words_of(text)
    # "good" only as "good for": "I not understand this word good" asks what chronic pain is; "the difference
    # between chronic pain and ..." asks what it is too
    asks_help = (set(words) & (HELPS - {"good", "difference"} | MANAGES) or "good for" in " ".join(words)
                 or ASKS_FOR_ANOTHER_CONDITION.match(" ".join(words)))
    return helped if helped and asks_help else topic


def refers_back(text: Text) -> bool:
    """A short message about "it" or "that" ("what does it do for the pain?", "what's the difference between
    the two"): about the last answer, if nothing else in it says what it is about."""
    words = words_of(text)
    return (0 < len(words) <= MAX_WORDS and bool(ANAPHORA.intersection(words) or "the two" in " ".join(words))
            and not NOT_FOLLOW_UP.intersection(words))


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
    if len(words(passage.text) - words(answer_body(answer["text"]))) < MIN_NEW_WORDS:
        dispatcher.utter_message(response="utter_nothing_more")
        return
    dispatcher.utter_message(text=f"{passage.text}{SOURCE_LINE}{passage.title}", buttons=answer.get("buttons") or [])


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
