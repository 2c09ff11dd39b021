"""The accuracy/speed frontier behind the choice of pipeline (`make bench` prints it; README, Pipeline).

For every candidate configuration, in one run on this machine:
- 5-fold cross-validation on the training data (data/nlu): each fold trains the candidate's NLU on four
  fifths and parses the fifth through the whole pipeline, guards included, scored like the held-out set
  (answer accuracy, wrong FAQ answers, out-of-scope rejected, red flags routed);
- red-flag recall and false alarms on the frozen blind safety sets (tests/safety/blind_*.yml);
- a full `rasa train` from scratch (an empty cache), then a real server started on that model: seconds
  until it answers, its resident memory, and REST latency one message at a time.

A candidate's result is kept in results/frontier/<name>.json with a fingerprint of everything that shapes
it (its config, the training data, domain, addons); an unchanged candidate is not measured again.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Text, Tuple

import yaml

from clinic.paths import RASA, ROOT
from evaluation import safety
from evaluation.heldout import Score, rasa_predictor, score
from evaluation.stack import running_stack

RESULTS = ROOT / "results" / "frontier"
FOLDS = 5
SEED = 42
# name -> (config, what it is); the chosen one is config.yml
CANDIDATES: Dict[Text, tuple] = {
    "chosen": (ROOT / "config.yml", "spaCy + TF-IDF n-grams + MiniLM sentence vectors + one linear SVM, RulePolicy alone"),
    "without_encoder": (ROOT / "evaluation/configs/without_encoder.yml", "the same without the MiniLM sentence encoder (last round's)"),
    "previous": (ROOT / "evaluation/configs/previous.yml", "spaCy + n-grams + DIET + ResponseSelector, Rule + Memoization + TED"),
    "rasa_init": (ROOT / "evaluation/configs/rasa_init.yml", "Rasa's `rasa init` pipeline and policies, no guards"),
}
LATENCY_QUESTIONS = [
    "does massage help with fibromyalgia?", "can massage help me sleep better", "hi",
    "I'm pregnant, is massage safe for me?", "how much does a massage cost", "what is deep tissue massage",
    "can massage lower blood pressure", "thanks", "my chest hurts and I can't breathe", "/faq_lymph_flow",
]
LATENCY_ROUNDS = 10
FINGERPRINTED = ["domain", "data"]


def custom_component_files(config: Path) -> List[Path]:
    """The source files of the project's own components a config names (`addons.safety.component.X`: the
    whole addons/safety package), so that editing one component re-measures only the candidates using it."""
    names = [c["name"] for c in yaml.safe_load(config.read_text())["pipeline"] if c["name"].startswith("addons.")]
    files: Set[Path] = set()
    for name in names:
        module = ROOT.joinpath(*name.split(".")[:-1])
        package = module.parent if module.parent != ROOT / "addons" else None
        files.update(package.rglob("*.*") if package else [module.with_suffix(".py")])
    return sorted(f for f in files if "__pycache__" not in f.parts)


def fingerprint(config: Path) -> Text:
    files = []
    for entry in FINGERPRINTED:
        path = ROOT / entry
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256(config.read_bytes())
    for file in files + custom_component_files(config):
        digest.update(str(file.relative_to(ROOT)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def rasa_train(config: Path, out: Path, name: Text, nlu_only: Optional[Path] = None) -> float:
    """Train from scratch (an empty cache of its own) and return the seconds it took."""
    cache = out / f"cache-{name}"
    command = [RASA, "train", *(["nlu", "--nlu", str(nlu_only)] if nlu_only else []), "--config", str(config),
               "--domain", "domain", "--out", str(out), "--fixed-model-name", name]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "RASA_CACHE_DIRECTORY": str(cache)})
    seconds = time.monotonic() - started
    shutil.rmtree(cache, ignore_errors=True)
    return seconds


def fold_models(config: Path, workdir: Path) -> Iterator[Tuple[Path, List[Tuple[Text, Text]]]]:
    """For each of FOLDS stratified folds of the intent examples: the NLU trained on the other folds, and
    the fold's (text, label) pairs. Lookups, synonyms and regexes stay in every training fold."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    data = load_data(str(ROOT / "data" / "nlu"))
    examples = [m for m in data.intent_examples if m.get("text")]
    labels = [m.get("intent_response_key") or m.get("intent") for m in examples]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for index, (train, test) in enumerate(folds.split(examples, labels)):
        fold = TrainingData([examples[i] for i in train], data.entity_synonyms, data.regex_features,
                            data.lookup_tables)
        nlu = workdir / f"fold-{index}.yml"
        nlu.write_text(fold.nlu_as_yaml(), encoding="utf-8")
        rasa_train(config, workdir, f"fold-{index}", nlu_only=nlu)
        yield workdir / f"fold-{index}.tar.gz", [(examples[i].get("text"), labels[i]) for i in test]


def cross_validate(config: Path, workdir: Path) -> Score:
    total = Score()
    for model, held_out in fold_models(config, workdir):
        result = score(rasa_predictor(model), held_out)
        for field_name in ("total", "in_scope", "in_scope_correct", "wrong_answers", "out_of_scope",
                           "out_of_scope_rejected", "emergencies", "emergencies_routed"):
            setattr(total, field_name, getattr(total, field_name) + getattr(result, field_name))
        total.errors += result.errors
    return total


def resident_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def serve(model: Path, workdir: Path) -> Dict[Text, float]:
    with running_stack(model, workdir, {}) as stack:
        stack.say("hello", sender="warm-up")
        samples = []
        for round_ in range(LATENCY_ROUNDS):
            for question in LATENCY_QUESTIONS:
                begin = time.perf_counter()
                stack.say(question, sender=f"bench-{round_}")
                samples.append((time.perf_counter() - begin) * 1000)
        quantiles = statistics.quantiles(samples, n=100)
        return {"cold_start": stack.rasa.cold_start_seconds, "rss": resident_mib(stack.rasa.pid),
                "p50": quantiles[49], "p95": quantiles[94], "n": len(samples)}


def measure_accuracy(config: Path) -> Dict[Text, float]:
    """Cross-validation, then the blind safety sets on the NLU trained on all the data. Other work on the
    machine does not change these numbers, so this part may run while the machine is busy."""
    with tempfile.TemporaryDirectory(prefix="frontier-accuracy-") as tmp:
        workdir = Path(tmp)
        folds = cross_validate(config, workdir)
        rasa_train(config, workdir, "all", nlu_only=ROOT / "data" / "nlu")
        blind = safety.score_messages(safety.rasa_intent_of(workdir / "all.tar.gz"), safety.load_blind_sets())
    return {"accuracy": folds.accuracy, "wrong_answers": folds.wrong_answers, "in_scope": folds.in_scope,
            "rejection": folds.rejection, "red_flag_recall": folds.emergency_recall,
            "blind_recall": blind.recall, "blind_false_alarms": blind.false_alarm_rate}


def measure_speed(name: Text, config: Path) -> Dict[Text, float]:
    """A full training from scratch and a real server on its model: measure on an otherwise idle machine."""
    with tempfile.TemporaryDirectory(prefix="frontier-speed-") as tmp:
        workdir = Path(tmp)
        seconds = rasa_train(config, workdir, name)
        served = serve(workdir / f"{name}.tar.gz", workdir)
    return {"training_seconds": seconds, "cold_start_seconds": served["cold_start"],
            "resident_mib": served["rss"], "p50_ms": served["p50"]}


PARTS = {"accuracy": lambda name, config: measure_accuracy(config), "speed": measure_speed}


def load_or_measure(name: Text, parts=tuple(PARTS), force: bool = False, stale_ok: bool = False) -> Dict[Text, float]:
    """The candidate's stored numbers; each part is measured again if its inputs changed (or with force).
    With stale_ok (the reference candidates in `make bench`: they train DIET for over an hour, and
    `python -m evaluation.frontier previous rasa_init` measures them), a part measured on earlier inputs is
    kept and the row says so, and a part never measured is left out."""
    config, description = CANDIDATES[name]
    stamp = fingerprint(config)
    stored = RESULTS / f"{name}.json"
    numbers = json.loads(stored.read_text()) if stored.exists() else {}
    for part in parts:
        measured = f"{part}_fingerprint" in numbers
        if stale_ok and not measured:
            continue
        if stale_ok and numbers[f"{part}_fingerprint"] != stamp:
            description += f" ({part} measured on earlier data)"
        elif force or numbers.get(f"{part}_fingerprint") != stamp:
            print(f"[{name}] measuring {part}", flush=True)
            numbers.update(PARTS[part](name, config), **{f"{part}_fingerprint": stamp})
            RESULTS.mkdir(parents=True, exist_ok=True)
            stored.write_text(json.dumps(numbers, indent=2))
    return {"name": name, "description": description, **numbers}


def _cell(numbers: Dict, key: Text, form: Text) -> Text:
    return format(numbers[key], form) if key in numbers else "n/a"


def table(results: List[Dict]) -> Text:
    lines = [
        f"| candidate | answer accuracy ({FOLDS}-fold CV) | wrong FAQ answers | out-of-scope rejected | red flags routed (CV) "
        "| blind safety sets: recall / false alarms | full training s | cold start s | resident MiB | REST p50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        wrong = f"{r['wrong_answers']} / {r['in_scope']}" if "wrong_answers" in r else "n/a"
        lines.append(
            f"| **{r['name']}**: {r['description']} | {_cell(r, 'accuracy', '.3f')} | {wrong} | "
            f"{_cell(r, 'rejection', '.3f')} | {_cell(r, 'red_flag_recall', '.3f')} | "
            f"{_cell(r, 'blind_recall', '.3f')} / {_cell(r, 'blind_false_alarms', '.3f')} | "
            f"{_cell(r, 'training_seconds', '.0f')} | {_cell(r, 'cold_start_seconds', '.0f')} | "
            f"{_cell(r, 'resident_mib', '.0f')} | {_cell(r, 'p50_ms', '.0f')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=list(CANDIDATES), help="candidates to measure")
    parser.add_argument("--only", choices=list(PARTS), help="measure only this part")
    parser.add_argument("--force", action="store_true", help="measure again even if nothing changed")
    args = parser.parse_args()
    parts = (args.only,) if args.only else tuple(PARTS)
    results = [load_or_measure(name, parts, args.force) for name in args.names]
    print(table(results))


if __name__ == "__main__":
    main()
