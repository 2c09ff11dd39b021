"""The topic classifier: its features, and the ranking of every intent it writes for the FAQ gate."""
import numpy as np
import scipy.sparse
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from addons.topic_classifier import TopicClassifier, features, inverse_document_frequency


class FixedProbabilities(TopicClassifier):
    def probabilities(self, messages):
        return np.array([[0.2, 0.5, 0.3]] * len(messages))


def test_every_intent_is_ranked_best_first_with_confidences_that_sum_to_one(monkeypatch):
    monkeypatch.setattr("addons.topic_classifier.has_sentence_features", lambda message: True)
    classifier = FixedProbabilities({}, model_storage=None, resource=Resource("topics"),
                                    labels=np.array(["greet", "faq_sleep", "faq_stress_anxiety"]))
    message = Message(data={"text": "can massage help me sleep"})
    classifier.process([message])
    ranking = message.get("intent_ranking")
    assert [entry["name"] for entry in ranking] == ["faq_sleep", "faq_stress_anxiety", "greet"]
    assert message.get("intent") == {"name": "faq_sleep", "confidence": 0.5}
    assert np.isclose(sum(entry["confidence"] for entry in ranking), 1.0)


def test_a_message_without_features_falls_back():
    classifier = TopicClassifier({}, model_storage=None, resource=Resource("topics"), labels=np.array(["greet"]))
    message = Message(data={"text": ""})
    classifier.process([message])
    assert message.get("intent")["name"] == "nlu_fallback" and message.get("intent_ranking") == []


def test_counts_are_weighted_by_sublinear_tf_idf_and_scaled_to_unit_length():
    counts = scipy.sparse.csr_matrix(np.array([[4.0, 1.0, 0.0], [1.0, 0.0, 1.0]]))
    word_vectors, sentence_vectors = np.array([[3.0, 4.0], [0.0, 2.0]]), np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 5.0]])
    matrix = features(counts, [word_vectors, sentence_vectors], inverse_document_frequency(counts)).toarray()
    sparse, dense = matrix[:, :3], matrix[:, 3:]
    # each featurizer's block has unit length on its own: the sentence encoder weighs as much as the words
    assert np.allclose(np.linalg.norm(sparse, axis=1), 1.0)
    assert np.allclose(np.linalg.norm(dense[:, :2], axis=1), 1.0) and np.allclose(np.linalg.norm(dense[:, 2:], axis=1), 1.0)
    # a word used 4 times counts 1 + log 4 times, not 4 times; a word in every example weighs less
    row = counts[0].toarray()[0]
    idf = inverse_document_frequency(counts)
    expected = np.array([(1 + np.log(4)) * idf[0], idf[1], 0.0])
    assert np.allclose(sparse[0], expected / np.linalg.norm(expected)) and row[0] == 4.0
