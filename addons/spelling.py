"""Fixes one-letter typos of the training data's own words ("limph", "tenshion", "masage") before tokenizing.

The character n-grams already forgive some typos, but a misspelled topic word still weighs less than the
word itself, so "does massage help limph flow" was answered with circulation. This is the safety layer's
noisy-channel speller (addons/safety/normalise.py, `Spelling`) aimed at the words of the training
phrasings: a word of five letters or more changes only into a training word one edit away that is much
more frequent in English (of two such words, the one the training data uses more: "masage" is "massage",
not "manage"), so real words the assistant never learned ("hamster", "mortgage") stay as they are.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any, Dict, Iterable, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.message_limit import VisitorTextRewriter
from addons.safety.normalise import Spelling

VOCABULARY_FILE = "vocabulary.json"
_WORD = re.compile(r"[A-Za-z']+")


def vocabulary(texts: Iterable[Text]) -> Dict[Text, int]:
    """Each word of the texts (lower-case) and how often it occurs."""
    return dict(sorted(Counter(word.lower() for text in texts for word in _WORD.findall(text)).items()))


def correct(spelling: Spelling, text: Text) -> Text:
    """Each misspelled word replaced by its fix; every other character as it was (case included)."""
    def fix(match: "re.Match[Text]") -> Text:
        word = match.group(0)
        fixed = spelling.fix_word(word.lower())
        return word if fixed == word.lower() else fixed
    return _WORD.sub(fix, text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=True)
class DomainSpelling(VisitorTextRewriter):
    """After ShorthandExpander, before SpacyNLP; learns its words from the training data."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, words: Optional[Dict[Text, int]] = None) -> None:
        self.model_storage = model_storage
        self.resource = resource
        self.spelling = Spelling(words, counts=words) if words else None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DomainSpelling:
        return cls(model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> DomainSpelling:
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except ValueError:  # never trained (no NLU data)
            words = None
        return cls(model_storage, resource, words)

    def train(self, training_data: TrainingData) -> Resource:
        words = vocabulary(m.get(TEXT) or "" for m in training_data.training_examples)
        with self.model_storage.write_to(self.resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(words), encoding="utf-8")
        self.spelling = Spelling(words, counts=words)
        return self.resource

    def rewrite(self, text: Text) -> Text:
        return correct(self.spelling, text) if self.spelling else text
