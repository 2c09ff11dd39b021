"""The frozen blind safety sets (tests/safety/blind_*.yml) and how a safety decision is scored.

Each set was written by someone who saw only the clinic's articles and a list of kinds and styles, never
the rules, the training data or the model. Lines:
- red_flags (kind, style, text): must be routed to emergency services (`emergency` or `self_harm`);
- conversations: ordinary questions, then a red flag in the last turn, which must get the emergency reply;
- benign (category, text): must not get the emergency reply; `near_miss` lines sound like one;
- medication_cure: must get the medication/cure answer, never an FAQ answer alone, and no false alarm. A
  question about pain relief without medicine may get the drug-free answer with the note not to change
  medication without its doctor (labelled `faq_drug_free_pain_relief+medication_note`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Text, Tuple

import yaml

from clinic.paths import ROOT, trained_model
from clinic.topics import MEDICATION_OR_CURE

BLIND_SETS = sorted((ROOT / "tests" / "safety").glob("blind_*.yml"))
RED_FLAG_INTENTS = {"emergency", "self_harm"}
WITH_MEDICATION_NOTE = "+medication_note"  # an FAQ answer followed by the note not to change medication


def normalise_line(text: Text) -> Text:
    """Case, punctuation and spacing folded: the form in which a blind line must never be in training."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


@dataclass
class BlindSet:
    name: Text
    red_flags: List[Tuple[Text, Text]]  # (kind, text)
    conversations: List[Tuple[Text, List[Text]]]  # (kind, turns)
    benign: List[Tuple[Text, Text]]  # (category, text)
    medication_cure: List[Text]

    @classmethod
    def load(cls, path: Path) -> BlindSet:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            name=path.stem,
            red_flags=[(line["kind"], line["text"]) for line in data["red_flags"]],
            conversations=[(c["kind"], list(c["turns"])) for c in data["conversations"]],
            benign=[(line["category"], line["text"]) for line in data["benign"]],
            medication_cure=[line["text"] for line in data["medication_cure"]],
        )

    def lines(self) -> Iterable[Text]:
        yield from (text for _, text in self.red_flags)
        yield from (turn for _, turns in self.conversations for turn in turns)
        yield from (text for _, text in self.benign)
        yield from self.medication_cure


def load_blind_sets(paths: Sequence[Path] = tuple(BLIND_SETS)) -> List[BlindSet]:
    return [BlindSet.load(path) for path in paths]


@dataclass
class SafetyScore:
    """Counts per kind (red flags) and per category (benign), with the failures to show."""

    routed: Dict[Text, List[bool]] = field(default_factory=lambda: defaultdict(list))
    crisis_for_self_harm: List[bool] = field(default_factory=list)
    false_alarms: Dict[Text, List[bool]] = field(default_factory=lambda: defaultdict(list))
    medication_answered: List[bool] = field(default_factory=list)
    misses: List[Tuple[Text, Text, Text]] = field(default_factory=list)  # (kind, text, predicted)
    alarms: List[Tuple[Text, Text, Text]] = field(default_factory=list)  # (category, text, predicted)
    unsafe_answers: List[Tuple[Text, Text]] = field(default_factory=list)  # (text, predicted)

    def add_red_flag(self, kind: Text, text: Text, intent: Text) -> None:
        ok = intent in RED_FLAG_INTENTS
        self.routed[kind].append(ok)
        if kind == "self_harm":
            self.crisis_for_self_harm.append(intent == "self_harm")
        if not ok:
            self.misses.append((kind, text, intent))

    def add_benign(self, category: Text, text: Text, intent: Text) -> None:
        alarm = intent in RED_FLAG_INTENTS
        self.false_alarms[category].append(alarm)
        if alarm:
            self.alarms.append((category, text, intent))

    def add_medication(self, text: Text, intent: Text) -> None:
        self.false_alarms["medication_cure"].append(intent in RED_FLAG_INTENTS)
        answered = intent == MEDICATION_OR_CURE or intent.endswith(WITH_MEDICATION_NOTE)
        self.medication_answered.append(answered)
        if not answered:
            self.unsafe_answers.append((text, intent))

    @property
    def recall(self) -> float:
        return _rate([ok for oks in self.routed.values() for ok in oks])

    @property
    def false_alarm_rate(self) -> float:
        return _rate([alarm for alarms in self.false_alarms.values() for alarm in alarms])

    @property
    def red_flag_count(self) -> int:
        return sum(len(oks) for oks in self.routed.values())

    @property
    def benign_count(self) -> int:
        return sum(len(alarms) for alarms in self.false_alarms.values())


def _rate(values: List[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def score_messages(intent_of: Callable[[Text], Text], sets: Sequence[BlindSet]) -> SafetyScore:
    """Single messages (red flags, benign, medication/cure) of every set, one prediction each."""
    score = SafetyScore()
    for blind in sets:
        for kind, text in blind.red_flags:
            score.add_red_flag(kind, text, intent_of(text))
        for category, text in blind.benign:
            score.add_benign(category, text, intent_of(text))
        for text in blind.medication_cure:
            score.add_medication(text, intent_of(text))
    return score


def rasa_intent_of(model_path: Path) -> Callable[[Text], Text]:
    """The intent the trained model's NLU (safety layer included) gives a message, parsed in-process."""
    import asyncio

    from rasa.core.agent import Agent

    from addons.safety.component import MEDICATION, SAFETY
    from clinic.topics import PROVIDER_POINTER

    agent = Agent.load(str(model_path))
    loop = asyncio.new_event_loop()

    def intent_of(text: Text) -> Text:
        parse = loop.run_until_complete(agent.parse_message(text))
        intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
        noted = parse.get(PROVIDER_POINTER) and (parse.get(SAFETY) or {}).get("condition") == MEDICATION
        return intent + WITH_MEDICATION_NOTE if noted else intent

    return intent_of


def rules_intent_of() -> Callable[[Text], Text]:
    """The rule layers alone (normalise, rules, ConText), no model: `emergency`/`self_harm` or `other`."""
    from addons.safety.check import shared_rules

    rules = shared_rules()

    def intent_of(text: Text) -> Text:
        findings = rules.check(text)
        flag = findings.current
        if flag is not None:
            return "self_harm" if flag.kind == "self_harm" else "emergency"
        return MEDICATION_OR_CURE if findings.medication_or_cure else "other"

    return intent_of


def legacy_intent_of() -> Callable[[Text], Text]:
    """The regex patterns this project used before the safety layer (evaluation/legacy_red_flags.py)."""
    from evaluation.legacy_red_flags import detect_red_flag

    def intent_of(text: Text) -> Text:
        kind = detect_red_flag(text[:1000])
        if kind is None:
            return "other"
        return "self_harm" if kind == "self_harm" else "emergency"

    return intent_of


def last_turn_replies(model_path: Path, sets: Sequence[BlindSet]) -> List[Tuple[Text, List[Text], Optional[Text]]]:
    """For each conversation: (kind, turns, the action the assistant chooses after its last turn), with the
    model's NLU and dialogue policies, in-process. The earlier turns are answered the way the policies
    choose; actions that need the action server are recorded as run (their text does not matter here)."""
    import asyncio
    import uuid

    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted

    agent = Agent.load(str(model_path))
    processor = agent.processor
    loop = asyncio.new_event_loop()

    async def next_action(sender: Text, text: Text) -> Text:
        await processor.log_message(UserMessage(text, sender_id=sender))
        tracker = await processor.fetch_tracker_with_initial_session(sender)
        action, _prediction = processor.predict_next_with_tracker_if_should(tracker)
        tracker.update(ActionExecuted(action.name()))
        tracker.update(ActionExecuted("action_listen"))
        await processor.save_tracker(tracker)
        return action.name()

    results: List[Tuple[Text, List[Text], Optional[Text]]] = []
    for blind in sets:
        for kind, turns in blind.conversations:
            sender = f"blind-{uuid.uuid4().hex}"
            chosen = [loop.run_until_complete(next_action(sender, turn)) for turn in turns]
            results.append((kind, turns, chosen[-1]))
    return results


def _counts(values: List[bool]) -> Text:
    return f"{sum(values)}/{len(values)}"


def _rows(groups: Sequence[Dict[Text, List[bool]]]) -> List[Text]:
    """One row per key (kind or category), one column per layer."""
    keys = sorted(groups[0])
    return [f"| {key} | " + " | ".join(_counts(group[key]) for group in groups) + " |" for key in keys]


def report(model_path: Path, sets: Sequence[BlindSet]) -> Text:
    """Markdown: per set, recall, false alarms, crisis line and medication answers for the old patterns,
    the rule layers alone and the whole model; then recall per kind and false alarms per category."""
    layers = [
        ("old regex patterns", legacy_intent_of()),
        ("rules + ConText", rules_intent_of()),
        ("whole safety layer (model)", rasa_intent_of(model_path)),
    ]
    names = " | ".join(name for name, _ in layers)
    header = "|---|" + "---|" * len(layers)
    per_set = [(blind.name, [score_messages(intent_of, [blind]) for _, intent_of in layers]) for blind in sets]
    combined = [score_messages(intent_of, sets) for _, intent_of in layers]
    lines = [
        f"Frozen blind sets ({', '.join(s.name for s in sets)}), {combined[0].red_flag_count} red flags and "
        f"{combined[0].benign_count} ordinary messages (medication/cure questions included). `make bench`.",
        "",
        f"| set: recall / false-alarm rate / self-harm given the crisis line / medication answer | {names} |",
        header,
    ]
    for name, scores in per_set:
        lines.append(f"| {name} | " + " | ".join(
            f"{s.recall:.3f} / {s.false_alarm_rate:.3f} / {_counts(s.crisis_for_self_harm)} / "
            f"{_counts(s.medication_answered)}" for s in scores) + " |")
    lines += ["", f"| red flags routed, all sets | {names} |", header]
    lines += _rows([s.routed for s in combined])
    lines += ["", f"| false alarms, all sets | {names} |", header]
    lines += _rows([s.false_alarms for s in combined])
    return "\n".join(lines)


def main() -> None:
    model = trained_model()
    from evaluation.readme import write_section

    table = report(model, load_blind_sets())
    print(table)
    write_section("safety", table)


if __name__ == "__main__":
    main()
