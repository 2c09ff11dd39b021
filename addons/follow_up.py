"""Reads a bare follow-up ("how so?", "go on", "why though?") as `ask_more`, whatever the classifier said.

Such a message names nothing: every word is a function word or a word about explaining, continuing or
evidence. The classifier, which learns from content words, has little to go on and often calls it out of
scope or unclear, so after an answer the visitor got "I can't answer that" instead of more on the topic.
Read as `ask_more`, the message goes to `action_tell_more`, which answers from the topic of the last answer
(the slot `last_topic`) or, with no topic yet, asks which topic is meant: both are right for a message that
names nothing. A message with any other content word ("how about the weather?") keeps its intent, unless
the classifier found it unclear and it is a short question about "it" or "that" ("what does it do for the
pain?"): that too is about the last answer.
"""
from __future__ import annotations

from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.lang.en.stop_words import STOP_WORDS

from addons.fingerprint import AddonComponent
from clinic.follow_ups import MAX_WORDS, NOT_FOLLOW_UP, refers_back, words_of
from clinic.topics import is_faq

ASK_MORE = "ask_more"
# the intents a bare follow-up is taken from: out of scope, unclear, or an FAQ topic (a guess, as the message
# names none); any other intent ("thanks", "bye", "yes") stays
REREAD_INTENTS = {"out_of_scope", "nlu_fallback"}
# intents a bare follow-up or a short question about "it" is often mistaken for: "why?" is no request for a
# diagnosis, "go on" no goodbye, "does it hurt?" no personal complaint, "is that proven?" no challenge to the
# bot, "how" (the characters of "howdy") no greeting, "could you unpack that a little?" no "yes"
MISTAKEN_INTENTS = {"ask_diagnosis", "goodbye", "bot_challenge", "greet", "affirm"}
# words asking to go on that spaCy's stop words and the classifier's data lack ("could you unpack that?", "keep
# talking", "keep goin")
ASKS_TO_GO_ON = {"unpack", "talking", "goin", "clarify", "dig"}
# ... when the message asks why, how, for more or for proof, and is not about the bot ("are you a real person?")
ASKS_WHY_OR_MORE = {
    "why", "y", "how", "on", "more", "moar", "continue", "going", "keep", "explain", "elaborate", "further",
    "detail", "details", "proven", "proof", "evidence", "mechanism", "science", "hurt", "work", "works", "come",
    "tho", "though",
} | ASKS_TO_GO_ON
EXPLAIN = {"explain", "unpack", "elaborate", "expand", "clarify", "tell", "say"}
ABOUT_THE_BOT = {"you", "your", "bot", "human", "person", "real", "robot", "machine", "ai"}
# ... nor small talk ("how is it going?", "how's your day"), unless it asks to go on ("keep going")
SMALL_TALK = {"going", "doing", "day", "life", "things", "hi", "hello", "hey"}
GO_ON = {"keep", "carry", "continue"}
# words that ask to continue, explain or back up what was said, beyond spaCy's English stop words
FOLLOW_UP_WORDS = {
    "continue", "carry", "going", "tell", "expand", "elaborate", "explain", "detail", "details", "info",
    "information", "more", "work", "works", "working", "happen", "happens", "help", "helps", "exactly", "come",
    "mean", "means", "meaning", "proven", "proof", "evidence", "true", "sure", "theory", "actually", "reason",
    "science", "scientific", "research", "study", "studies", "tho", "thou", "though", "ok", "okay", "oh",
    "hmm", "hm", "mm", "um", "interesting", "cool", "right", "really", "like", "pls", "plz", "u", "ya",
    "go", "y", "moar", "further", "else", "mechanism", "basically", "say",
    "talk", "deeper", "bit", "little",
    # how long what was described lasts ("how long does the relief last?")
    "long", "last", "lasts", "lasting", "relief", "effect", "effects", "result", "results",
} | ASKS_TO_GO_ON
UNCLEAR = "nlu_fallback"


def is_bare_follow_up(text: Text) -> bool:
    """At most MAX_WORDS words, none of them a content word ("why does that work?", "keep going") nor about
    the visitor or the bot."""
    words = words_of(text)
    return (0 < len(words) <= MAX_WORDS and not NOT_FOLLOW_UP.intersection(words)
            and all(w in STOP_WORDS or w in FOLLOW_UP_WORDS for w in words))


def is_follow_up(intent: Optional[Text], text: Text) -> bool:
    if intent in REREAD_INTENTS or is_faq(intent):
        return is_bare_follow_up(text) or (intent == UNCLEAR and refers_back(text))
    if intent in MISTAKEN_INTENTS:
        in_order = words_of(text)
        words = set(in_order)
        # "you" asked to explain or go on is the bot at work ("could you unpack that?", "can you go on?"), not the
        # bot as a subject
        asks_bot_to_go_on = bool(words & EXPLAIN) or "go on" in " ".join(in_order)
        about_the_bot = words & ABOUT_THE_BOT - ({"you"} if asks_bot_to_go_on else set())
        return ((is_bare_follow_up(text) or refers_back(text)) and bool(words & ASKS_WHY_OR_MORE)
                and not about_the_bot and not (words & SMALL_TALK and not words & GO_ON))
    return False


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class BareFollowUp(AddonComponent):
    """After the FaqGate (it re-reads its fallback), before the safety layer (which has the last word)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            if isinstance(text, str) and is_follow_up(intent.get(INTENT_NAME_KEY), text):
                message.set(INTENT, {INTENT_NAME_KEY: ASK_MORE, "confidence": 1.0}, add_to_output=True)
        return messages
