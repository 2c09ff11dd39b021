"""Reads at most MAX_MESSAGE_CHARS characters of a message, whatever channel it came from.

It runs first in the pipeline. Past a few thousand characters the classifiers and spaCy cost seconds of CPU per
message (a 60,000-character message took 17 s) and spaCy refuses texts over 1,000,000 characters, so one
pasted document would stall or crash the server. A real question fits easily: the longest training
phrasing is under 400 characters. The REST channel rejects longer messages outright (channels/rest.py);
other channels (Socket.IO, Slack, SMS, ...) get their first MAX_MESSAGE_CHARS characters understood by the
classifiers, while the safety layer reads the whole message.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.fingerprint import AddonComponent

MAX_MESSAGE_CHARS = 1000
# The longest message a channel accepts at all (REST answers 413 above it). Within it, the safety layer
# reads every character; the classifiers read the first MAX_MESSAGE_CHARS.
MAX_ACCEPTED_CHARS = 10_000
# The whole text, kept for the safety layer (addons/safety): a red flag after the first 1,000 characters
# must still be seen.
FULL_TEXT = "full_text"


class VisitorTextRewriter(AddonComponent):
    """A component that changes the text the classifiers read (training examples and messages alike), while
    the safety layer keeps the visitor's own words (FULL_TEXT). Subclasses say how, in `rewrite`."""

    # a quick reply's payload ("/faq_sleep") is not the visitor's words: left alone unless this is True
    rewrites_payloads = False

    def rewrite(self, text: Text) -> Text:
        raise NotImplementedError

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and text and (self.rewrites_payloads or not text.startswith("/")):
                replace_text(message, self.rewrite(text))
        return messages


def replace_text(message: Message, text: Text) -> None:
    """The classifiers read `text` (cut, spelled out, corrected); the safety layer keeps the visitor's words."""
    if text != message.get(TEXT):
        message.set(FULL_TEXT, message.get(FULL_TEXT) or message.get(TEXT))
        message.set(TEXT, text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class MessageLengthLimit(VisitorTextRewriter):
    """Place first in the pipeline, before SpacyNLP."""

    # a pasted document behind a "/" would stall the classifiers just the same
    rewrites_payloads = True

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_characters": MAX_MESSAGE_CHARS}

    def __init__(self, max_characters: int = MAX_MESSAGE_CHARS) -> None:
        self.max_characters = max_characters

    def rewrite(self, text: Text) -> Text:
        return text[: self.max_characters]
