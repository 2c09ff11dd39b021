"""The held-out phrasings (tests/nlu_heldout.yml, never trained on) and how a prediction is scored."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Text, Tuple

import yaml

from clinic.paths import ROOT
from clinic.topics import is_faq

HELDOUT = ROOT / "tests" / "nlu_heldout.yml"
REJECTIONS = {"out_of_scope", "nlu_fallback"}
RED_FLAG_INTENTS = {"emergency", "self_harm"}
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def plain_text(example: Text) -> Text:
    """`I'm [pregnant]{"entity": ...}` -> `I'm pregnant`."""
    return _ANNOTATION.sub(r"\1", example)


def load_examples(path: Path = HELDOUT) -> List[Tuple[Text, Text]]:
    """(text, expected label) pairs; a label is an intent (`faq_<topic>` for an FAQ topic)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for block in data["nlu"]:
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((plain_text(line[2:].strip()), block["intent"]))
    return pairs


def label_of(parse: Dict[Text, Any]) -> Text:
    """The answer a parse leads to: its intent (`faq_<topic>` for an FAQ answer)."""
    return (parse.get("intent") or {}).get("name") or "nlu_fallback"


@dataclass
class Score:
    total: int = 0
    in_scope: int = 0
    in_scope_correct: int = 0
    wrong_answers: int = 0  # in scope, but answered with another FAQ topic (worse than a fallback)
    out_of_scope: int = 0
    out_of_scope_rejected: int = 0
    emergencies: int = 0
    emergencies_routed: int = 0
    errors: List[Tuple[Text, Text, Text]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.in_scope_correct / max(self.in_scope, 1)

    @property
    def rejection(self) -> float:
        return self.out_of_scope_rejected / max(self.out_of_scope, 1)

    @property
    def emergency_recall(self) -> float:
        return self.emergencies_routed / max(self.emergencies, 1)

    def add(self, text: Text, expected: Text, predicted: Text) -> None:
        self.total += 1
        if expected == "out_of_scope":
            self.out_of_scope += 1
            ok = predicted in REJECTIONS
            self.out_of_scope_rejected += ok
        else:
            self.in_scope += 1
            # self-harm has its own intent now (crisis line first); both reach emergency help
            ok = predicted == expected or (expected == "emergency" and predicted in RED_FLAG_INTENTS)
            self.in_scope_correct += ok
            self.wrong_answers += (not ok) and is_faq(predicted)
            if expected == "emergency":
                self.emergencies += 1
                self.emergencies_routed += ok
        if not ok:
            self.errors.append((text, expected, predicted))


def score(predict: Callable[[Text], Text], examples: Optional[Iterable[Tuple[Text, Text]]] = None) -> Score:
    result = Score()
    for text, expected in examples if examples is not None else load_examples():
        result.add(text, expected, predict(text))
    return result


def rasa_predictor(model_path: Path) -> Callable[[Text], Text]:
    """Labels from a trained Rasa model, parsed in-process (the same graph `rasa run` uses)."""
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    loop = asyncio.new_event_loop()
    return lambda text: label_of(loop.run_until_complete(agent.parse_message(text)))
