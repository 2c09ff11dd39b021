"""`make bench`: the pipeline frontier, the held-out set, REST latency, and the safety table.

1. The frontier (evaluation/frontier.py): every candidate pipeline cross-validated on the training data and
   measured for training time, cold start, memory and latency; a candidate is measured again only when
   something it depends on changed (results/frontier/).
2. Held-out accuracy of three approaches:
   (a) this project's model (models/clinic.tar.gz, as trained by `make train`; nothing is retrained);
   (b) Rasa's `rasa init` pipeline on the same training data (NLU only; trained once into .cache/bench/);
   (c) TF-IDF retrieval: each question is matched against the article passages behind each FAQ answer.
3. The safety table on the frozen blind sets (evaluation/safety.py), per kind.
Prints Markdown tables and writes them into README.md between the frontier, bench and safety markers.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Callable, Dict, List, Text, Tuple

import yaml

from evaluation import frontier, safety
from evaluation.heldout import ROOT, Score, load_examples, rasa_predictor, score
from evaluation.readme import write_section

MODEL = ROOT / "models" / "clinic.tar.gz"
BASELINE_DIR = ROOT / ".cache" / "bench"
BASELINE = BASELINE_DIR / "rasa_init.tar.gz"
BASELINE_SECONDS = BASELINE_DIR / "rasa_init_training_seconds.txt"
TRAINING_SECONDS = ROOT / "results" / "training_seconds.txt"
TFIDF_MIN_SIMILARITY = 0.2


def faq_only(examples: List[Tuple[Text, Text]], predict: Callable[[Text], Text]) -> float:
    faq = [(t, label) for t, label in examples if label.startswith("faq_")]
    return score(predict, faq).accuracy


def train_baseline() -> float:
    BASELINE_DIR.mkdir(parents=True, exist_ok=True)
    seconds = frontier.rasa_train(ROOT / "evaluation/configs/rasa_init.yml", BASELINE_DIR, "rasa_init",
                                  nlu_only=ROOT / "data" / "nlu")
    BASELINE_SECONDS.write_text(f"{seconds:.0f}\n")
    return seconds


def tfidf_predictor(domain: Dict) -> Callable[[Text], Text]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    topics, passages = [], []
    for name, variations in domain["responses"].items():
        if name.startswith("utter_faq_"):
            topics.append("faq_" + name[len("utter_faq_"):])
            passages.append(variations[0]["text"].split("\n\nSource:")[0])
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform(passages)

    def predict(text: Text) -> Text:
        similarities = cosine_similarity(vectorizer.transform([text]), matrix)[0]
        best = similarities.argmax()
        return topics[best] if similarities[best] >= TFIDF_MIN_SIMILARITY else "out_of_scope"

    return predict


def latency() -> Dict[Text, float]:
    with tempfile.TemporaryDirectory() as tmp:
        return frontier.serve(MODEL, Path(tmp))


def row(name: Text, result: Score, faq_accuracy: float, seconds: Text) -> Text:
    return (f"| {name} | {result.accuracy:.3f} | {faq_accuracy:.3f} | {result.wrong_answers} | "
            f"{result.rejection:.3f} | {result.emergency_recall:.3f} | {seconds} |")


def main() -> None:
    assert MODEL.exists(), "models/clinic.tar.gz is missing: run `make train` first"
    candidates = frontier.table([frontier.load_or_measure(name) for name in frontier.CANDIDATES])
    print(candidates)
    write_section("frontier", candidates)
    examples = load_examples()
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    baseline_seconds = BASELINE_SECONDS.read_text().strip() if BASELINE.exists() else f"{train_baseline():.0f}"
    project_seconds = TRAINING_SECONDS.read_text().strip() if TRAINING_SECONDS.exists() else "n/a"

    rows = []
    for name, predict, seconds in [
        ("(a) this project (spaCy + TopicClassifier + guards)", rasa_predictor(MODEL), project_seconds),
        ("(b) Rasa's `rasa init` pipeline", rasa_predictor(BASELINE), baseline_seconds),
        ("(c) TF-IDF over the article passages", tfidf_predictor(domain), "0"),
    ]:
        result = score(predict, examples)
        rows.append(row(name, result, faq_only(examples, predict), seconds))
    timing = latency()
    counts = {label: sum(1 for _, l in examples if (l.startswith("faq_") if label == "faq" else l == label))
              for label in ("faq", "out_of_scope", "emergency")}
    table = "\n".join([
        f"Held-out set: {len(examples)} phrasings ({counts['faq']} FAQ, {counts['out_of_scope']} out of scope, "
        f"{counts['emergency']} red flags), never trained on. Measured by `make bench` on this 2-core machine.",
        "",
        "| approach | accuracy (all in-scope) | FAQ topic accuracy | wrong FAQ answers | out-of-scope rejected | red flags routed | training s |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"REST latency of (a), {timing['n']} messages one at a time: p50 {timing['p50']:.0f} ms, "
        f"p95 {timing['p95']:.0f} ms; cold start of the Rasa server {timing['cold_start']:.0f} s, resident memory "
        f"{timing['rss']:.0f} MiB.",
    ])
    print(table)
    write_section("bench", table)
    safety_table = safety.report(MODEL, safety.load_blind_sets())
    print(safety_table)
    write_section("safety", safety_table)


if __name__ == "__main__":
    main()
