"""Guards FAQ answers: button payloads pick a topic exactly, unsure topic picks never answer.

Rasa's FallbackClassifier only looks at the intent confidence. With a retrieval intent the intent can be
a confident `faq` while the topic classifier is torn between two topics; answering then would give a
random FAQ answer. This component turns such messages into `nlu_fallback` (keeping the candidate topics
in the ranking for the "did you mean ...?" buttons), and turns the payload `/faq/<topic>` of a quick-reply
button into an exact, confident prediction of that topic.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.topic_classifier import set_topic_ranking

_PAYLOAD = re.compile(r"^\s*/(?P<intent>\w+)/(?P<topic>\w+)\s*$")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FaqGate(GraphComponent):
    """Place after FallbackClassifier (which only judges the intent) and before the safety layer (addons/safety)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "retrieval_intent": "faq",
            # below this topic confidence the answer is not given
            "threshold": 0.5,
            # if the two best topics are closer than this, the message is ambiguous
            "ambiguity_threshold": 0.1,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.retrieval_intent = config["retrieval_intent"]
        self.threshold = config["threshold"]
        self.ambiguity_threshold = config["ambiguity_threshold"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqGate:
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            payload = _PAYLOAD.match(message.get(TEXT) or "")
            if payload and payload.group("intent") == self.retrieval_intent:
                if self._known_topic(message, payload.group("topic")):
                    self._set_topic(message, payload.group("topic"))
                else:
                    self._fall_back(message)
            elif (message.get(INTENT) or {}).get("name") == self.retrieval_intent and self._unsure(message):
                self._fall_back(message)
        return messages

    def _fall_back(self, message: Message) -> None:
        fallback = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": self.threshold}
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [fallback] + (message.get(INTENT_RANKING_KEY) or []), add_to_output=True)

    def _ranking(self, message: Message) -> List[Dict[Text, Any]]:
        selected = (message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get(self.retrieval_intent) or {}
        return selected.get("ranking") or []

    def _known_topic(self, message: Message, topic: Text) -> bool:
        # The topic classifier ranks every topic it knows.
        key = f"{self.retrieval_intent}/{topic}"
        return any(r.get("intent_response_key") == key for r in self._ranking(message))

    def _set_topic(self, message: Message, topic: Text) -> None:
        intent = {"name": self.retrieval_intent, "confidence": 1.0}
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        set_topic_ranking(message, self.retrieval_intent, [(f"{self.retrieval_intent}/{topic}", 1.0)])

    def _unsure(self, message: Message) -> bool:
        ranking = self._ranking(message)
        if not ranking:
            return True
        best = ranking[0]["confidence"]
        runner_up = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
        return best < self.threshold or best - runner_up < self.ambiguity_threshold
