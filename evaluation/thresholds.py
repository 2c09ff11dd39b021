"""Choose the answer thresholds of config.yml by cross-validation on the training data.

`python -m evaluation.thresholds`: parses every out-of-fold example once through the fold's whole pipeline
(evaluation/frontier.py), then replays the two gates for every combination of thresholds:
FaqGate's two steps (addons/faq_gate.py): the confidence of the kind of message (the FAQ topics taken
together) and its margin over the next, then the FAQ topic's confidence and its margin over the next topic. Prints the combinations on the frontier of answer
accuracy against wrong FAQ answers and out-of-scope rejection; the one in config.yml is chosen from it.
Red-flag, medication and past-condition decisions of the safety layer do not depend on these thresholds
and are kept as parsed.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Text, Tuple

from addons.faq_gate import falls_back
from evaluation.frontier import RESULTS, fold_models
from evaluation.heldout import ROOT, Score, label_of

NLU_FALLBACK = "nlu_fallback"
KEPT_AS_PARSED = {"emergency", "self_harm", "medication_or_cure"}
INTENT_THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6]
INTENT_MARGINS = [0.0, 0.05, 0.1, 0.2]
TOPIC_THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6]
TOPIC_MARGINS = [0.0, 0.05, 0.1, 0.2]
Parsed = Tuple[Text, Text, Dict[Text, Any]]  # (text, expected label, parse)


def out_of_fold_parses(config: Path) -> List[Parsed]:
    from rasa.core.agent import Agent

    parsed: List[Parsed] = []
    loop = asyncio.new_event_loop()
    with tempfile.TemporaryDirectory(prefix="thresholds-") as tmp:
        for model, held_out in fold_models(config, Path(tmp)):
            agent = Agent.load(str(model))
            for text, label in held_out:
                parse = loop.run_until_complete(agent.parse_message(text))
                parsed.append((text, label, {k: parse.get(k) for k in ("intent", "intent_ranking", "faq", "safety")}))
    return parsed


def replay(parse: Dict[Text, Any], thresholds: Tuple[float, float, float, float]) -> Text:
    intent_threshold, intent_margin, topic_threshold, topic_margin = thresholds
    final = label_of(parse)
    safety = parse.get("safety") or {}
    if final in KEPT_AS_PARSED or safety.get("condition"):
        return final
    ranking = [r for r in parse.get("intent_ranking") or [] if r["name"] != NLU_FALLBACK]
    if not ranking or ranking[0]["name"] in KEPT_AS_PARSED:  # a red-flag guess the safety layer did not confirm
        return final
    return NLU_FALLBACK if falls_back({**parse, "intent_ranking": ranking}, *thresholds) else ranking[0]["name"]


def grid(parsed: List[Parsed]) -> List[Tuple[Tuple[float, ...], Score]]:
    results = []
    for thresholds in itertools.product(INTENT_THRESHOLDS, INTENT_MARGINS, TOPIC_THRESHOLDS, TOPIC_MARGINS):
        result = Score()
        for text, expected, parse in parsed:
            result.add(text, expected, replay(parse, thresholds))
        results.append((thresholds, result))
    return results


def frontier(results: List[Tuple[Tuple[float, ...], Score]]) -> List[Tuple[Tuple[float, ...], Score]]:
    """Combinations no other beats on accuracy, wrong answers and rejection at once."""
    def dominated(a: Score) -> bool:
        return any(b.accuracy >= a.accuracy and b.wrong_answers <= a.wrong_answers and b.rejection >= a.rejection
                   and (b.accuracy, -b.wrong_answers, b.rejection) != (a.accuracy, -a.wrong_answers, a.rejection)
                   for _, b in results)
    return sorted(((t, r) for t, r in results if not dominated(r)), key=lambda item: -item[1].accuracy)


def main() -> None:
    cache = RESULTS / "out_of_fold_parses.json"
    if cache.exists():
        parsed = [tuple(p) for p in json.loads(cache.read_text())]
    else:
        parsed = out_of_fold_parses(ROOT / "config.yml")
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(parsed))
    print("intent threshold, margin, topic threshold, margin: accuracy, wrong FAQ answers, out-of-scope rejected")
    for thresholds, result in frontier(grid(parsed))[:30]:
        print(thresholds, f"{result.accuracy:.3f}", result.wrong_answers, f"{result.rejection:.3f}")


if __name__ == "__main__":
    main()
