"""The sentence encoder: all-MiniLM-L6-v2 run by our own code, checked against what the model is known to do."""
from pathlib import Path

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.sentence_encoder import SentenceEncoder
from tests.conftest import ROOT

MODEL = ROOT / ".cache" / "minilm"


@pytest.fixture(scope="module")
def encoder():
    assert (MODEL / "arrays").is_dir(), "the sentence model is missing: `make test` builds it first"
    return SentenceEncoder({**SentenceEncoder.get_default_config(), "model": str(MODEL)}, "sentence_encoder")


def similarity(encoder, a, b):
    first, second = encoder.encoder.encode([a, b])
    return float(first @ second)


def test_vectors_have_unit_length_and_do_not_depend_on_the_batch(encoder):
    texts = ["hi", "can massage help with fibromyalgia?", "what is the weather like tomorrow in town " * 3]
    together = encoder.encoder.encode(texts)
    alone = np.vstack([encoder.encoder.encode([text]) for text in texts])
    assert together.shape == (3, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-4)  # padding inside a batch changes nothing


def test_a_described_condition_is_near_its_name_and_far_from_an_unrelated_request(encoder):
    described = "that condition where your whole body aches all over and nobody can find a cause"
    assert similarity(encoder, described, "fibromyalgia") > similarity(encoder, described, "carpal tunnel syndrome")
    assert similarity(encoder, "can massage help me sleep", "massage for insomnia") > 0.5
    assert similarity(encoder, "can massage help me sleep", "how do I open a bank account") < 0.2


def test_each_message_gets_one_sentence_feature_and_an_empty_one_none(encoder):
    messages = [Message(data={"text": "does massage lower blood pressure"}), Message(data={"text": ""})]
    encoder.process(messages)
    features = [f for f in messages[0].features if f.origin == "sentence_encoder"]
    assert len(features) == 1 and features[0].type == "sentence" and features[0].features.shape == (1, 384)
    assert messages[1].features == []


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="make sentence-model"):
        SentenceEncoder.validate_config({"model": str(tmp_path)})
    (tmp_path / "model.safetensors").write_bytes(b"")  # an older build, without the arrays
    with pytest.raises(ValueError, match="make sentence-model"):
        SentenceEncoder.validate_config({"model": str(tmp_path)})
