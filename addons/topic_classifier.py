"""One linear classifier for every intent and FAQ topic, in place of DIET plus a ResponseSelector.

It learns every intent, FAQ topics (faq_<topic>) included, from the sentence features of the featurizers
before it: the sparse word and character n-gram counts, weighted by sublinear TF-IDF and scaled to unit length, beside spaCy's mean word vector, also at unit length. The model
is a linear support vector machine (liblinear); its scores become confidences by a softmax. It trains in
about a second, needs no TensorFlow, and fills `intent` and `intent_ranking` with every intent, best first
(addons/faq_gate.py judges the whole ranking).

The model (choice, C, softmax scale) was picked by 5-fold cross-validation on the training data
(evaluation/thresholds.py, README "Pipeline").
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from addons.fingerprint import AddonFingerprint

logger = logging.getLogger(__name__)

MODEL_FILE = "topic_classifier.npz"


def has_sentence_features(message: Message) -> bool:
    """An empty message has none: the featurizers skip it. (Looked up, not combined: that costs a parse.)"""
    kinds = {f.is_sparse() for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE}
    return kinds == {True, False}


def _no_intent(message: Message) -> None:
    message.set(INTENT, {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 0.0}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [], add_to_output=True)


def sentence_blocks(messages: List[Message]) -> Tuple[Optional[scipy.sparse.csr_matrix], List[np.ndarray]]:
    """The sparse (n-gram counts) sentence features of each message, and one block of dense features (spaCy's
    mean word vector, the sentence encoder's vector) per featurizer that made them."""
    sparse = [m.get_sparse_features(TEXT)[1] for m in messages]
    counts = (scipy.sparse.vstack([scipy.sparse.csr_matrix(f.features) for f in sparse]).tocsr()
              if all(f is not None for f in sparse) else None)
    dense = [{f.origin: f.features for f in m.features
              if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and not f.is_sparse()} for m in messages]
    origins = sorted(set.intersection(*(set(d) for d in dense)), key=str) if dense else []
    return counts, [np.vstack([d[origin] for d in dense]) for origin in origins]


def features(counts: Optional[scipy.sparse.csr_matrix], dense: List[np.ndarray],
             idf: Optional[np.ndarray]) -> scipy.sparse.csr_matrix:
    """Each block at unit length, side by side."""
    blocks = []
    if counts is not None:
        weighted = counts.astype(np.float64)
        weighted.data = 1.0 + np.log(np.maximum(weighted.data, 1e-12))  # sublinear term frequency
        blocks.append(normalize(weighted.multiply(idf).tocsr() if idf is not None else weighted))
    blocks += [scipy.sparse.csr_matrix(normalize(block)) for block in dense]
    return scipy.sparse.hstack(blocks).tocsr()


def inverse_document_frequency(counts: scipy.sparse.csr_matrix) -> np.ndarray:
    """Smoothed idf, as sklearn's TfidfTransformer computes it."""
    documents = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + documents)) + 1.0


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicClassifier(AddonFingerprint, IntentClassifier, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # inverse regularisation strength of the linear SVM
            "C": 1.0,
            # softmax scale turning SVM scores into confidences (the thresholds are chosen on top of it)
            "scale": 5.0,
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
        counts, dense = sentence_blocks(examples)
        self.idf = inverse_document_frequency(counts) if counts is not None else None
        matrix, labels = features(counts, dense, self.idf), [e.get(INTENT) for e in examples]

        model = LinearSVC(C=self.config["C"], random_state=42).fit(matrix, labels)
        self.labels, self.weights, self.bias = model.classes_, model.coef_, model.intercept_
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
        assert self.weights is not None, "not trained"
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
        labels = self.labels
        assert labels is not None, "not trained"
        for message, row in zip(featurised, self.probabilities(featurised), strict=True):
            ranked = sorted(zip(labels, row, strict=True), key=lambda scored: -float(scored[1]))
            ranking = [{"name": str(label), "confidence": float(p)} for label, p in ranked]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
