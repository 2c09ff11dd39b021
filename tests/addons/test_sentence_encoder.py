"""The sentence encoder: all-MiniLM-L6-v2 run by our own code, checked against what the model is known to do
and, for its 8-bit layers (addons/sentence_graph.py), against the model's 32-bit weights."""
import math

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.sentence_encoder import SentenceEncoder
from clinic.paths import ROOT

MODEL = ROOT / ".cache" / "minilm"


@pytest.fixture(scope="module")
def encoder():
    assert (MODEL / "layers.int8.onnx").is_file(), "the sentence model is missing: `make test` builds it first"
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
    assert np.allclose(together, alone, atol=1e-5)  # each text runs alone, whatever it was sent with


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
    (tmp_path / "model.safetensors").write_bytes(b"")  # an older build, without the 8-bit layers
    with pytest.raises(ValueError, match="make sentence-model"):
        SentenceEncoder.validate_config({"model": str(tmp_path)})


def reference_vector(weights, ids):
    """BERT's forward pass on the 32-bit weights, written plainly (torch stores a linear layer as (out, in))."""
    def linear(x, name):
        return x @ weights[f"{name}.weight"].T + weights[f"{name}.bias"]

    def norm(x, name):
        centred = x - x.mean(-1, keepdims=True)
        return centred / np.sqrt((centred ** 2).mean(-1, keepdims=True) + 1e-12) * weights[f"{name}.weight"] + weights[f"{name}.bias"]

    x = weights["embeddings.word_embeddings.weight"][ids] + weights["embeddings.position_embeddings.weight"][:len(ids)]
    x = norm(x + weights["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
    for layer in range(6):
        p = f"encoder.layer.{layer}."
        heads = [linear(x, f"{p}attention.self.{part}").reshape(len(ids), 12, 32).transpose(1, 0, 2)
                 for part in ("query", "key", "value")]
        scores = heads[0] @ heads[1].transpose(0, 2, 1) / np.sqrt(32)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attended = (scores / scores.sum(-1, keepdims=True) @ heads[2]).transpose(1, 0, 2).reshape(len(ids), 384)
        x = norm(linear(attended, f"{p}attention.output.dense") + x, f"{p}attention.output.LayerNorm")
        inner = linear(x, f"{p}intermediate.dense")
        inner = 0.5 * inner * (1 + np.vectorize(math.erf)(inner / math.sqrt(2)))
        x = norm(linear(inner, f"{p}output.dense") + x, f"{p}output.LayerNorm")
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def test_the_8_bit_layers_give_nearly_the_vectors_of_the_32_bit_model(encoder):
    from safetensors.numpy import load_file

    weights = {name: value.astype(np.float64) for name, value in load_file(str(MODEL / "model.safetensors")).items()}
    texts = ["hi", "wat does massage do 4 ur muscles", "My dad has had knee osteoarthritis for years, would massage help?"]
    for text in texts:
        ids = encoder.encoder.tokenizer.encode(text).ids
        assert float(encoder.encoder.encode([text])[0] @ reference_vector(weights, ids)) > 0.97, text
