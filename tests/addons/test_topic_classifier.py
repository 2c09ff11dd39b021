"""The topic classifier's parse fields: what FallbackClassifier, FaqGate, utter_faq and the safety layer read."""
import numpy as np
import scipy.sparse
from rasa.engine.storage.resource import Resource

from addons.topic_classifier import TopicClassifier, features, inverse_document_frequency, set_topic_ranking


def classifier(labels):
    return TopicClassifier({}, model_storage=None, resource=Resource("topics"), labels=np.array(labels))


def test_a_retrieval_intent_gets_the_sum_of_its_topics_and_topics_are_ranked_within_it():
    intents, topics = classifier(["faq/sleep", "faq/stress", "greet"])._rankings(np.array([0.5, 0.3, 0.2]))
    assert intents[0] == {"name": "faq", "confidence": 0.8} and intents[1]["name"] == "greet"
    assert [name for name, _ in topics] == ["faq/sleep", "faq/stress"]
    assert np.isclose(topics[0][1], 0.625) and np.isclose(sum(p for _, p in topics), 1.0)


def test_topics_are_written_in_the_format_utter_faq_reads():
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": "can massage help me sleep"})
    set_topic_ranking(message, "faq", [("faq/sleep", 0.9)])
    selected = message.get("response_selector")["faq"]
    assert selected["response"]["utter_action"] == "utter_faq/sleep"
    assert selected["ranking"][0]["intent_response_key"] == "faq/sleep"


def test_counts_are_weighted_by_sublinear_tf_idf_and_scaled_to_unit_length():
    counts = scipy.sparse.csr_matrix(np.array([[4.0, 1.0, 0.0], [1.0, 0.0, 1.0]]))
    matrix = features(counts, np.array([[3.0, 4.0], [0.0, 2.0]]), inverse_document_frequency(counts)).toarray()
    sparse, dense = matrix[:, :3], matrix[:, 3:]
    assert np.allclose(np.linalg.norm(sparse, axis=1), 1.0) and np.allclose(np.linalg.norm(dense, axis=1), 1.0)
    # a word used 4 times counts 1 + log 4 times, not 4 times; a word in every example weighs less
    row = counts[0].toarray()[0]
    idf = inverse_document_frequency(counts)
    expected = np.array([(1 + np.log(4)) * idf[0], idf[1], 0.0])
    assert np.allclose(sparse[0], expected / np.linalg.norm(expected)) and row[0] == 4.0
