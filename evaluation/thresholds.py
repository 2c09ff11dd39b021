"""Choose the answer thresholds of config.yml by cross-validation on the training data.

`python -m evaluation.thresholds`: parses every out-of-fold example once through the fold's whole pipeline
(evaluation/frontier.py), then replays the two gates for every combination of thresholds:
FaqGate's two steps (addons/faq_gate.py): the confidence of the kind of message (the FAQ topics taken
together) and its margin over the next, then the FAQ topic's confidence and its margin over the next topic. Prints the combinations on the frontier of answer
accuracy against wrong FAQ answers and out-of-scope rejection, and the one to put in config.yml: the most FAQ
questions answered directly among the combinations no worse than config.yml's on the other three (`choose`).
Red-flag, medication and past-condition decisions of the safety layer do not depend on these thresholds
and are kept as parsed.

Then, at config.yml's answer thresholds, the gate's `pointer_threshold`: for each candidate, how many FAQ
answers get a pointer to a provider (FAQ-labelled examples: not needed, but only one more line), and how
many personal questions the classifier answered as an FAQ get it (needed). The chosen threshold gives the
most personal questions their pointer while the pointer rate on FAQ answers stays within POINTER_BUDGET,
and among those the fewest pointers on FAQ answers.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Text, Tuple

import yaml

from addons.faq_gate import decide, wants_pointer
from clinic.paths import ROOT
from clinic.topics import PERSONAL_QUESTION, is_faq
from evaluation.frontier import RESULTS, fold_models
from evaluation.heldout import Score, label_of

NLU_FALLBACK = "nlu_fallback"
KEPT_AS_PARSED = {"emergency", "self_harm", "medication_or_cure"}
INTENT_THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6]
INTENT_MARGINS = [0.0, 0.05, 0.1, 0.2]
TOPIC_THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6]
TOPIC_MARGINS = [0.0, 0.05, 0.1, 0.2]
POINTER_THRESHOLDS = [0.005, 0.01, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.4, 1.01]
POINTER_BUDGET = 0.10  # at most this share of plain FAQ answers end with a pointer to a provider
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
                # text and entities too: the gate's pointer to a provider also reads them (faq_gate.wants_pointer)
                kept = ("intent", "intent_ranking", "faq", "safety", "text", "entities")
                parsed.append((text, label, {k: parse.get(k) for k in kept}))
    return parsed


# the FaqGate's (threshold, ambiguity_threshold, topic_threshold, topic_ambiguity_threshold)
Thresholds = Tuple[float, float, float, float]


def replay(parse: Dict[Text, Any], thresholds: Thresholds) -> Text:
    intent_threshold, intent_margin, topic_threshold, topic_margin = thresholds
    final = label_of(parse)
    safety = parse.get("safety") or {}
    if final in KEPT_AS_PARSED or safety.get("condition"):
        return final
    ranking = [r for r in parse.get("intent_ranking") or [] if r["name"] != NLU_FALLBACK]
    if not ranking or ranking[0]["name"] in KEPT_AS_PARSED:  # a red-flag guess the safety layer did not confirm
        return final
    return decide({**parse, "intent_ranking": ranking}, *thresholds) or NLU_FALLBACK


def grid(parsed: List[Parsed]) -> List[Tuple[Thresholds, Score]]:
    results: List[Tuple[Thresholds, Score]] = []
    for thresholds in itertools.product(INTENT_THRESHOLDS, INTENT_MARGINS, TOPIC_THRESHOLDS, TOPIC_MARGINS):
        result = Score()
        for text, expected, parse in parsed:
            result.add(text, expected, replay(parse, thresholds))
        results.append((thresholds, result))
    return results


def faq_direct_rate(parsed: List[Parsed], thresholds: Thresholds) -> float:
    """Share of FAQ-labelled examples answered with their topic at once (no "did you mean ...?")."""
    faq = [(expected, replay(parse, thresholds)) for _text, expected, parse in parsed if is_faq(expected)]
    return sum(expected == got for expected, got in faq) / max(len(faq), 1)


def choose(parsed: List[Parsed], results: List[Tuple[Thresholds, Score]],
           current: Thresholds) -> Thresholds:
    """The most FAQ questions answered directly, among the combinations at least as good as the current one on
    answer accuracy, wrong FAQ answers and out-of-scope rejection; on a tie, fewer wrong answers, then the
    more cautious thresholds (a wrong answer costs more than a "did you mean ...?")."""
    base = dict(results)[current]
    no_worse = [t for t, r in results if r.accuracy >= base.accuracy and r.wrong_answers <= base.wrong_answers
                and r.rejection >= base.rejection]
    return max(no_worse, key=lambda t: (faq_direct_rate(parsed, t), -dict(results)[t].wrong_answers, sum(t)))


def frontier(results: List[Tuple[Thresholds, Score]]) -> List[Tuple[Thresholds, Score]]:
    """Combinations no other beats on accuracy, wrong answers and rejection at once."""
    def dominated(a: Score) -> bool:
        return any(b.accuracy >= a.accuracy and b.wrong_answers <= a.wrong_answers and b.rejection >= a.rejection
                   and (b.accuracy, -b.wrong_answers, b.rejection) != (a.accuracy, -a.wrong_answers, a.rejection)
                   for _, b in results)
    return sorted(((t, r) for t, r in results if not dominated(r)), key=lambda item: -item[1].accuracy)


def configured_thresholds() -> Thresholds:
    gate = next(c for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"] if c["name"].endswith("FaqGate"))
    return (gate["threshold"], gate["ambiguity_threshold"], gate["topic_threshold"], gate["topic_ambiguity_threshold"])


def pointer_rates(parsed: List[Parsed], thresholds: Thresholds, pointer_threshold: float) -> Tuple[float, float]:
    """(share of FAQ-labelled answers with a pointer, share of personal questions answered as an FAQ with one)."""
    counts = {"faq": [0, 0], PERSONAL_QUESTION: [0, 0]}
    for _text, expected, parse in parsed:
        final = replay(parse, thresholds)
        kind = "faq" if is_faq(expected) else expected
        if not is_faq(final) or kind not in counts:
            continue
        counts[kind][0] += 1
        counts[kind][1] += wants_pointer({**parse, "intent": {"name": final}}, pointer_threshold)
    faq, personal = (pointed / answered if answered else 0.0 for answered, pointed in counts.values())
    return faq, personal


def main() -> None:
    cache = RESULTS / "out_of_fold_parses.json"
    if cache.exists():
        parsed = [tuple(p) for p in json.loads(cache.read_text())]
    else:
        parsed = out_of_fold_parses(ROOT / "config.yml")
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(parsed))
    results = grid(parsed)
    print("intent threshold, margin, topic threshold, margin: accuracy, wrong FAQ answers, out-of-scope rejected, "
          "FAQ answered directly")
    for thresholds, result in frontier(results)[:30]:
        print(thresholds, f"{result.accuracy:.3f}", result.wrong_answers, f"{result.rejection:.3f}",
              f"{faq_direct_rate(parsed, thresholds):.3f}")
    current = configured_thresholds()
    chosen = choose(parsed, results, current)
    for name, thresholds in (("config.yml", current), ("chosen", chosen)):
        result = dict(results)[thresholds]
        print(f"{name}: {thresholds} accuracy {result.accuracy:.3f}, wrong {result.wrong_answers}, rejected "
              f"{result.rejection:.3f}, FAQ answered directly {faq_direct_rate(parsed, thresholds):.3f}")
    print(f"\npointer threshold at {configured_thresholds()}: FAQ answers with a pointer, personal questions "
          f"answered as an FAQ with a pointer (budget {POINTER_BUDGET:.0%} on the first)")
    rates = {t: pointer_rates(parsed, configured_thresholds(), t) for t in POINTER_THRESHOLDS}
    for pointer_threshold, (on_faq, on_personal) in rates.items():
        print(f"{pointer_threshold:.3f}  {on_faq:.3f}  {on_personal:.3f}")
    within = [t for t, (on_faq, _) in rates.items() if on_faq <= POINTER_BUDGET]
    print("chosen:", max(within, key=lambda t: (rates[t][1], -rates[t][0])))


if __name__ == "__main__":
    main()
