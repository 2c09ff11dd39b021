"""`make bench`: accuracy on the held-out set for three approaches, REST latency, and training time.

(a) this project's model (models/clinic.tar.gz, as trained by `make train`; nothing is retrained);
(b) Rasa's default `rasa init` pipeline on the same training data (NLU only; trained once into
    .cache/bench/ the first time, since it is not part of the product);
(c) TF-IDF retrieval: each question is matched against the article passages behind each FAQ answer.
Then the safety table on the frozen blind sets (evaluation/safety.py): the old regex patterns, the rule
layers alone and the whole safety layer, per kind. Prints Markdown tables and writes them into README.md
between the bench and safety markers.
"""
from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Text, Tuple

import yaml

from evaluation import safety
from evaluation.heldout import ROOT, Score, load_examples, rasa_predictor, score
from evaluation.readme import write_section
from evaluation.stack import RASA, running_stack

MODEL = ROOT / "models" / "clinic.tar.gz"
BASELINE_DIR = ROOT / ".cache" / "bench"
BASELINE = BASELINE_DIR / "rasa_default.tar.gz"
BASELINE_SECONDS = BASELINE_DIR / "rasa_default_training_seconds.txt"
TRAINING_SECONDS = ROOT / "results" / "training_seconds.txt"
TFIDF_MIN_SIMILARITY = 0.2
LATENCY_QUESTIONS = [
    "does massage help with fibromyalgia?", "can massage help me sleep better", "hi",
    "I'm pregnant, is massage safe for me?", "how much does a massage cost", "what is deep tissue massage",
    "can massage lower blood pressure", "thanks", "my chest hurts and I can't breathe", "/faq/lymph_flow",
]
LATENCY_ROUNDS = 10


def faq_only(examples: List[Tuple[Text, Text]], predict: Callable[[Text], Text]) -> float:
    faq = [(t, label) for t, label in examples if label.startswith("faq/")]
    return score(predict, faq).accuracy


def train_baseline() -> float:
    BASELINE_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    subprocess.run(
        [RASA, "train", "nlu", "--config", str(ROOT / "evaluation/configs/rasa_default.yml"), "--nlu", "data/nlu",
         "--domain", "domain.yml", "--out", str(BASELINE_DIR), "--fixed-model-name", "rasa_default"],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    BASELINE_SECONDS.write_text(f"{seconds:.0f}\n")
    return seconds


def tfidf_predictor(domain: Dict) -> Callable[[Text], Text]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    topics, passages = [], []
    for name, variations in domain["responses"].items():
        if name.startswith("utter_faq/"):
            topics.append("faq/" + name[len("utter_faq/"):])
            passages.append(variations[0]["text"].split("\n\nSource:")[0])
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    matrix = vectorizer.fit_transform(passages)

    def predict(text: Text) -> Text:
        similarities = cosine_similarity(vectorizer.transform([text]), matrix)[0]
        best = similarities.argmax()
        return topics[best] if similarities[best] >= TFIDF_MIN_SIMILARITY else "out_of_scope"

    return predict


def latency() -> Dict[Text, float]:
    with tempfile.TemporaryDirectory() as tmp, running_stack(MODEL, Path(tmp), {}) as stack:
        cold_start = stack.rasa.cold_start_seconds
        stack.say("hello", sender="warm-up")
        samples = []
        for round_ in range(LATENCY_ROUNDS):
            for question in LATENCY_QUESTIONS:
                begin = time.perf_counter()
                stack.say(question, sender=f"bench-{round_}")
                samples.append((time.perf_counter() - begin) * 1000)
    quantiles = statistics.quantiles(samples, n=100)
    return {"p50": quantiles[49], "p95": quantiles[94], "n": len(samples), "cold_start": cold_start}


def row(name: Text, result: Score, faq_accuracy: float, seconds: Text) -> Text:
    return (f"| {name} | {result.accuracy:.3f} | {faq_accuracy:.3f} | {result.wrong_answers} | "
            f"{result.rejection:.3f} | {result.emergency_recall:.3f} | {seconds} |")


def main() -> None:
    assert MODEL.exists(), "models/clinic.tar.gz is missing: run `make train` first"
    examples = load_examples()
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    baseline_seconds = BASELINE_SECONDS.read_text().strip() if BASELINE.exists() else f"{train_baseline():.0f}"
    project_seconds = TRAINING_SECONDS.read_text().strip() if TRAINING_SECONDS.exists() else "n/a"

    rows = []
    for name, predict, seconds in [
        ("(a) this project (spaCy + DIET + ResponseSelector + guards)", rasa_predictor(MODEL), project_seconds),
        ("(b) Rasa default pipeline (`rasa init`)", rasa_predictor(BASELINE), baseline_seconds),
        ("(c) TF-IDF over the article passages", tfidf_predictor(domain), "0"),
    ]:
        result = score(predict, examples)
        rows.append(row(name, result, faq_only(examples, predict), seconds))
    timing = latency()
    counts = {label: sum(1 for _, l in examples if (l.startswith("faq/") if label == "faq" else l == label))
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
        f"p95 {timing['p95']:.0f} ms; cold start of the Rasa server {timing['cold_start']:.0f} s.",
    ])
    print(table)
    write_section("bench", table)
    safety_table = safety.report(MODEL, safety.load_blind_sets())
    print(safety_table)
    write_section("safety", safety_table)


if __name__ == "__main__":
    main()
