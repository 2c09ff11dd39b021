"""all-MiniLM-L6-v2's six BERT layers as an ONNX graph with 8-bit weights, for ONNX Runtime.

Run once by `make sentence-model` (scripts/build_sentence_model.py), never by the server. Why not numpy: a
message's six layers multiply by 42 MB of 32-bit weights, 8-14 ms of one core for a message of any length;
ONNX Runtime with 8-bit weights (quantised per output channel, activations quantised per message) does the
same in 0.5-3 ms, and the 11 MB of weights stay in the processor's cache. The sentence vectors stay within
a cosine of 0.98-0.996 of the 32-bit model's; the topic classifier is trained on the 8-bit ones.

The graph takes one message's embedded word pieces (`x`, 1 x length x 384, after the embedding layer norm,
which the encoder does in numpy over the word-piece table) and returns every word piece's state
(`states`). One message at a time, also in training: activations are quantised per call, so a message run in a
padded batch would get slightly different features than the same message alone at run time.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Text, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

HEADS = 12
OPSET = 18  # LayerNormalization is in the standard opset from 17


def write_graph(weights: Dict[Text, np.ndarray], out: Path) -> None:
    """`weights`: the safetensors file's tensors by name, as 32-bit floats; `out` gets the 8-bit graph."""
    graph = _Graph(weights)
    states = graph.encoder("x")
    value = helper.make_tensor_value_info
    model = helper.make_model(
        helper.make_graph(graph.nodes, "minilm",
                          [value("x", TensorProto.FLOAT, ["batch", "length", graph.width])],
                          [value(states, TensorProto.FLOAT, ["batch", "length", graph.width])],
                          graph.initializers),
        opset_imports=[helper.make_opsetid("", OPSET)], ir_version=8)
    onnx.checker.check_model(model)
    full = out.with_suffix(".float32.onnx")
    onnx.save(model, str(full))
    quantize_dynamic(str(full), str(out), weight_type=QuantType.QInt8, per_channel=True)
    full.unlink()


class _Graph:
    """Builds the nodes of BERT's encoder layers; torch stores a linear layer as (out, in), ONNX's MatMul
    multiplies by (in, out)."""

    def __init__(self, weights: Dict[Text, np.ndarray]) -> None:
        self.weights = weights
        self.nodes: List = []
        self.initializers: List = []
        self.width = weights["embeddings.LayerNorm.weight"].shape[0]
        size = self.width // HEADS
        self.constant("heads_shape", np.array([0, 0, 3, HEADS, size], np.int64))
        self.constant("width_shape", np.array([0, 0, self.width], np.int64))
        self.constant("first", np.array([0], np.int64))
        self.constant("scale", np.array(1 / np.sqrt(size), np.float32))
        self.constant("half", np.array(0.5, np.float32))
        self.constant("one", np.array(1.0, np.float32))
        self.constant("inverse_root_two", np.array(1 / np.sqrt(2), np.float32))

    def constant(self, name: Text, value: np.ndarray) -> Text:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value, np.float32 if value.dtype.kind == "f" else None), name))
        return name

    def op(self, kind: Text, inputs: List[Text], out: Text, **attributes) -> Text:
        self.nodes.append(helper.make_node(kind, inputs, [out], **attributes))
        return out

    def linear(self, x: Text, stored: Text, out: Text) -> Text:
        weight = self.constant(f"{out}.weight", self.weights[f"{stored}.weight"].T)
        bias = self.constant(f"{out}.bias", self.weights[f"{stored}.bias"])
        return self.op("Add", [self.op("MatMul", [x, weight], f"{out}.product"), bias], out)

    def norm(self, x: Text, stored: Text, out: Text) -> Text:
        gain = self.constant(f"{out}.gain", self.weights[f"{stored}.weight"])
        bias = self.constant(f"{out}.bias", self.weights[f"{stored}.bias"])
        return self.op("LayerNormalization", [x, gain, bias], out, axis=-1, epsilon=1e-12)

    def encoder(self, x: Text) -> Text:
        layer = 0
        while f"encoder.layer.{layer}.attention.self.query.weight" in self.weights:
            x = self.layer(x, f"encoder.layer.{layer}.", f"layer{layer}.")
            layer += 1
        return self.op("Identity", [x], "states")

    def layer(self, x: Text, stored: Text, p: Text) -> Text:
        query, key, value = self.attention_inputs(x, stored, p)
        scores = self.op("MatMul", [query, self.op("Transpose", [key], f"{p}key.t", perm=[0, 1, 3, 2])], f"{p}scores")
        weights = self.op("Softmax", [self.op("Mul", [scores, "scale"], f"{p}scaled")], f"{p}attention", axis=-1)
        attended = self.op("Transpose", [self.op("MatMul", [weights, value], f"{p}attended")], f"{p}attended.t", perm=[0, 2, 1, 3])
        attended = self.op("Reshape", [attended, "width_shape"], f"{p}attended.joined")
        out = self.linear(attended, f"{stored}attention.output.dense", f"{p}out")
        x = self.norm(self.op("Add", [out, x], f"{p}residual1"), f"{stored}attention.output.LayerNorm", f"{p}norm1")
        inner = self.gelu(self.linear(x, f"{stored}intermediate.dense", f"{p}inner"), p)
        outer = self.linear(inner, f"{stored}output.dense", f"{p}outer")
        return self.norm(self.op("Add", [outer, x], f"{p}residual2"), f"{stored}output.LayerNorm", f"{p}norm2")

    def attention_inputs(self, x: Text, stored: Text, p: Text) -> Tuple[Text, Text, Text]:
        """Query, key and value in one multiplication, split into (batch, heads, length, size) each."""
        parts = ("query", "key", "value")
        weight = np.hstack([self.weights[f"{stored}attention.self.{part}.weight"].T for part in parts])
        bias = np.concatenate([self.weights[f"{stored}attention.self.{part}.bias"] for part in parts])
        product = self.op("MatMul", [x, self.constant(f"{p}qkv.weight", weight)], f"{p}qkv.product")
        joined = self.op("Add", [product, self.constant(f"{p}qkv.bias", bias)], f"{p}qkv")
        heads = self.op("Reshape", [joined, "heads_shape"], f"{p}qkv.heads")
        split = self.op("Transpose", [heads], f"{p}qkv.t", perm=[2, 0, 3, 1, 4])
        self.nodes.append(helper.make_node("Split", [split], [f"{p}{part}.split" for part in parts], axis=0, num_outputs=3))
        query, key, value = (self.op("Squeeze", [f"{p}{part}.split", "first"], f"{p}{part}") for part in parts)
        return query, key, value

    def gelu(self, x: Text, p: Text) -> Text:
        """The exact GELU, x/2 (1 + erf(x/sqrt 2)), as BERT was trained."""
        erf = self.op("Erf", [self.op("Mul", [x, "inverse_root_two"], f"{p}gelu.scaled")], f"{p}gelu.erf")
        return self.op("Mul", [self.op("Mul", [x, "half"], f"{p}gelu.half"), self.op("Add", [erf, "one"], f"{p}gelu.sum")], f"{p}gelu")
