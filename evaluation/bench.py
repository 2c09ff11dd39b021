"""`make bench`: the pipeline frontier, the held-out set, REST latency, and the safety table.

1. The frontier (evaluation/frontier.py): every candidate pipeline cross-validated on the training data and
   measured for training time, cold start, memory and latency; a candidate is measured again only when
   something it depends on changed (results/frontier/).
2. Held-out accuracy of three approaches:
   (a) this project's model (models/clinic.tar.gz, as trained by `make train`; nothing is retrained);
   (b) Rasa's `rasa init` pipeline on the same training data (NLU only; trained once into .cache/bench/);
   (c) TF-IDF retrieval: each question is matched against the article passages behind each FAQ answer.
3. The frozen blind set of realistic visitor messages (evaluation/realistic.py).
4. The safety table on the frozen blind sets (evaluation/safety.py), per kind.
Prints Markdown tables and writes them into README.md between the frontier, bench, realistic and safety
markers.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Text, Tuple

from rasa.shared.core.domain import Domain

from clinic.paths import DOMAIN, MODEL, RASA, ROOT, trained_model
from clinic.topics import is_faq
from evaluation import frontier, realistic, safety
from evaluation.heldout import Score, load_examples, rasa_predictor, score
from evaluation.readme import write_section
from evaluation.stack import edited_domain, running_stack

BASELINE_DIR = ROOT / ".cache" / "bench"
BASELINE_CONFIG = ROOT / "evaluation/configs/rasa_init.yml"
TRAINING_SECONDS = ROOT / "results" / "training_seconds.txt"
TFIDF_MIN_SIMILARITY = 0.2


def faq_only(examples: List[Tuple[Text, Text]], predict: Callable[[Text], Text]) -> float:
    faq = [(t, label) for t, label in examples if is_faq(label)]
    return score(predict, faq).accuracy


def baseline() -> Optional[Tuple[Path, Text]]:
    """Rasa's `rasa init` pipeline trained on this project's NLU data (once per version of its inputs), and
    its training seconds; trained only with BENCH_BASELINE=1 (DIET takes about 20 minutes here)."""
    name = f"rasa_init-{frontier.fingerprint(BASELINE_CONFIG)[:12]}"
    model, seconds = BASELINE_DIR / f"{name}.tar.gz", BASELINE_DIR / f"{name}.seconds"
    if not model.exists() and not os.environ.get("BENCH_BASELINE"):
        return None
    if not model.exists():
        BASELINE_DIR.mkdir(parents=True, exist_ok=True)
        seconds.write_text(f"{frontier.rasa_train(BASELINE_CONFIG, BASELINE_DIR, name, nlu_only=ROOT / 'data' / 'nlu'):.0f}")
    return model, seconds.read_text().strip()


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


def answer_edit_seconds() -> float:
    """An FAQ answer's wording edited, until the running server answers with it: `rasa train` as `make train`
    runs it (nothing is retrained: answers are not training data), then the server's own reload
    (channels/model_reload.py). Uses a copy of the model and domain; the project's files are not touched."""
    with tempfile.TemporaryDirectory(prefix="bench-edit-") as tmp:
        workdir = Path(tmp)
        served = workdir / "clinic.tar.gz"
        shutil.copy(MODEL, served)
        domain = edited_domain(workdir, "Massage releases serotonin", "Edited: massage releases serotonin")
        with running_stack(served, workdir, {}) as stack:
            begin = time.perf_counter()
            subprocess.run([RASA, "train", "--domain", str(domain), "--out", str(workdir), "--fixed-model-name",
                            "clinic"], cwd=ROOT, check=True, capture_output=True)
            while "Edited:" not in stack.say("/faq_sleep", sender="editor")[0]["text"]:
                time.sleep(0.2)
            return time.perf_counter() - begin


def row(name: Text, result: Score, faq_accuracy: float, seconds: Text) -> Text:
    return (f"| {name} | {result.accuracy:.3f} | {faq_accuracy:.3f} | {result.wrong_answers} | "
            f"{result.rejection:.3f} | {result.emergency_recall:.3f} | {seconds} |")


def main() -> None:
    trained_model()
    candidates = frontier.table([frontier.load_or_measure(name, stale_ok=name != "chosen") for name in frontier.CANDIDATES])
    print(candidates)
    write_section("frontier", candidates)
    examples = load_examples()
    domain = Domain.load(str(DOMAIN)).as_dict()
    trained_baseline = baseline()
    project_seconds = TRAINING_SECONDS.read_text().strip() if TRAINING_SECONDS.exists() else "n/a"

    approaches = [("(a) this project (spaCy + TopicClassifier + guards)", rasa_predictor(MODEL), project_seconds)]
    if trained_baseline:
        approaches.append(("(b) Rasa's `rasa init` pipeline", rasa_predictor(trained_baseline[0]), trained_baseline[1]))
    approaches.append(("(c) TF-IDF over the article passages", tfidf_predictor(domain), "0"))
    rows = [row(name, score(predict, examples), faq_only(examples, predict), seconds)
            for name, predict, seconds in approaches]
    if not trained_baseline:
        rows.insert(1, "| (b) Rasa's `rasa init` pipeline: not trained in this run (`BENCH_BASELINE=1 make bench`) "
                       "| | | | | | |")
    timing = latency()
    edit_seconds = answer_edit_seconds()
    counts = {label: sum(1 for _, intent in examples if (is_faq(intent) if label == "faq" else intent == label))
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
        f"{timing['rss']:.0f} MiB. An edited answer is served {edit_seconds:.0f} s after `make train` starts, "
        f"without a restart.",
    ])
    print(table)
    write_section("bench", table)
    with realistic.scoring_assistant(MODEL) as assistant:
        realistic_table = realistic.table(realistic.score_sets(assistant))
    print(realistic_table)
    write_section("realistic", realistic_table)
    safety_table = safety.report(MODEL, safety.load_blind_sets())
    print(safety_table)
    write_section("safety", safety_table)


if __name__ == "__main__":
    main()
