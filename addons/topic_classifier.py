"""One linear classifier for every intent and FAQ topic, in place of DIET plus a ResponseSelector.

It learns the full labels (`faq/<topic>` for the retrieval intent, the intent name otherwise) from the
sentence features of the featurizers before it: the sparse word and character n-gram counts, weighted by
sublinear TF-IDF and scaled to unit length, beside spaCy's mean word vector, also at unit length. The model
is a linear support vector machine (liblinear); its scores become confidences by a softmax. It trains in
about a second, needs no TensorFlow, and fills the same parse fields the Rasa components would:

- `intent` / `intent_ranking`: a retrieval intent's confidence is the sum of its topics' confidences;
- `response_selector[<retrieval intent>]`: the topics ranked by their confidence given that intent, in
  the format `utter_faq` (ActionRetrieveResponse) and addons/faq_gate.py read.

The model (choice, C, softmax scale) was picked by 5-fold cross-validation on the training data
(evaluation/thresholds.py, README "Pipeline").
"""
from __future__ import annotations

import logging
from pathlib import Path
from collections import defaultdict
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from sklearn.svm import LinearSVC
from sklearn.preprocessing import normalize

from addons.fit_cache import load_or_fit
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

MODEL_FILE = "topic_classifier.npz"


def set_topic_ranking(message: Message, retrieval_intent: Text, ranking: List[Tuple[Text, float]]) -> None:
    """Writes (`faq/<topic>`, confidence) pairs, best first, as Rasa's ResponseSelector would: the format
    `utter_faq` (ActionRetrieveResponse) and addons/faq_gate.py read."""
    predictions = [{"intent_response_key": key, "utter_action": f"utter_{key}", "confidence": confidence,
                    "responses": []} for key, confidence in ranking]
    selector = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
    selector["all_retrieval_intents"] = [retrieval_intent]
    selector[retrieval_intent] = {"response": predictions[0], "ranking": predictions}
    message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selector, add_to_output=True)


def has_sentence_features(message: Message) -> bool:
    """An empty message has none: the featurizers skip it."""
    return (message.get_sparse_features(TEXT)[1] is not None
            and message.get_dense_features(TEXT)[1] is not None)


def _no_intent(message: Message) -> None:
    message.set(INTENT, {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 0.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [], add_to_output=True)


def sentence_blocks(messages: List[Message]) -> Tuple[Optional[scipy.sparse.csr_matrix], Optional[np.ndarray]]:
    """The sparse (n-gram counts) and dense (word vector) sentence features of each message."""
    sparse = [m.get_sparse_features(TEXT)[1] for m in messages]
    dense = [m.get_dense_features(TEXT)[1] for m in messages]
    counts = (scipy.sparse.vstack([scipy.sparse.csr_matrix(f.features) for f in sparse]).tocsr()
              if all(f is not None for f in sparse) else None)
    vectors = np.vstack([f.features for f in dense]) if all(f is not None for f in dense) else None
    return counts, vectors


def features(counts: Optional[scipy.sparse.csr_matrix], vectors: Optional[np.ndarray],
             idf: Optional[np.ndarray]) -> scipy.sparse.csr_matrix:
    blocks = []
    if counts is not None:
        weighted = counts.astype(np.float64)
        weighted.data = 1.0 + np.log(np.maximum(weighted.data, 1e-12))  # sublinear term frequency
        blocks.append(normalize(weighted.multiply(idf).tocsr() if idf is not None else weighted))
    if vectors is not None:
        blocks.append(scipy.sparse.csr_matrix(normalize(vectors)))
    return scipy.sparse.hstack(blocks).tocsr()


def inverse_document_frequency(counts: scipy.sparse.csr_matrix) -> np.ndarray:
    """Smoothed idf, as sklearn's TfidfTransformer computes it."""
    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + documents)) + 1.0


def full_label(message: Message) -> Text:
    return message.get(INTENT_RESPONSE_KEY) or message.get(INTENT)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicClassifier(IntentClassifier, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # inverse regularisation strength of the linear SVM
            "C": 1.0,
            # softmax scale turning SVM scores into confidences (the thresholds are chosen on top of it)
            "scale": 5.0,
            # the retrieval intent whose sub-intents are topics (data/nlu/faq_*.yml)
            "retrieval_intent": "faq",
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 labels: Optional[np.ndarray] = None, weights: Optional[np.ndarray] = None,
                 bias: Optional[np.ndarray] = None, idf: Optional[np.ndarray] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.labels, self.weights, self.bias, self.idf = labels, weights, bias, idf

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TopicClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        counts, vectors = sentence_blocks(examples)
        self.idf = inverse_document_frequency(counts) if counts is not None else None
        matrix, labels = features(counts, vectors, self.idf), [full_label(e) for e in examples]

        def fit() -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
            model = LinearSVC(C=self.config["C"], random_state=42).fit(matrix, labels)
            return model.classes_, model.coef_, model.intercept_

        inputs = [self.config, matrix.data.tobytes(), matrix.indices.tobytes(), matrix.indptr.tobytes(),
                  matrix.shape, labels, Path(__file__).read_bytes()]
        self.labels, self.weights, self.bias = load_or_fit("topic-classifier", inputs, fit)
        # stored in the model as plain arrays: loading needs neither pickle nor skops
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / MODEL_FILE, labels=self.labels, weights=self.weights, bias=self.bias,
                     idf=self.idf if self.idf is not None else np.zeros(0))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> TopicClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                stored = np.load(directory / MODEL_FILE, allow_pickle=False)
                idf = stored["idf"] if stored["idf"].size else None
                return cls(config, model_storage, resource, stored["labels"], stored["weights"], stored["bias"], idf)
        except ValueError:
            logger.warning("TopicClassifier has no trained model; it will not classify.")
            return cls(config, model_storage, resource)

    def probabilities(self, messages: List[Message]) -> np.ndarray:
        scores = np.asarray(features(*sentence_blocks(messages), self.idf) @ self.weights.T + self.bias)
        scores = self.config["scale"] * (scores - scores.max(axis=1, keepdims=True))
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def process(self, messages: List[Message]) -> List[Message]:
        # a message without features (an empty one) gets no intent here, and the fallback after it
        featurised = [m for m in messages if self.labels is not None and has_sentence_features(m)]
        for message in messages:
            if not any(message is other for other in featurised):
                _no_intent(message)
        if not featurised:
            return messages
        for message, row in zip(featurised, self.probabilities(featurised)):
            intents, topics = self._rankings(row)
            message.set(INTENT, intents[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, intents[:10], add_to_output=True)
            if topics:
                set_topic_ranking(message, self.config["retrieval_intent"], topics)
        return messages

    def _rankings(self, row: np.ndarray) -> Tuple[List[Dict[Text, Any]], List[Tuple[Text, float]]]:
        prefix = self.config["retrieval_intent"] + "/"
        by_intent: Dict[Text, float] = defaultdict(float)
        topics = []
        for label, probability in zip(self.labels, row):
            label = str(label)
            by_intent[label.split("/")[0]] += float(probability)
            if label.startswith(prefix):
                topics.append((label, float(probability)))
        intents = [{"name": name, "confidence": confidence}
                   for name, confidence in sorted(by_intent.items(), key=lambda item: -item[1])]
        total = sum(p for _, p in topics) or 1.0
        return intents, sorted(((label, p / total) for label, p in topics), key=lambda item: -item[1])
