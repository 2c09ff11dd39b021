"""The frozen blind sets of realistic visitor messages (tests/nlu/blind_realistic_*.yml), scored.

Written by a helper that saw only the two articles: FAQ questions the way visitors type them, personal
questions, follow-up conversations and out-of-scope requests. For each FAQ question:
- answered directly: the expected topic's answer, with no question back;
- wrong topic: another topic's answer (worse than asking back);
- within one click: answered directly, or the expected topic is among the "did you mean ...?" buttons.
Personal questions must reach a provider (the provider suggestion, the no-diagnosis reply, or an FAQ answer
ending with a pointer to a provider); out-of-scope
requests must get neither an FAQ answer nor the provider suggestion; each follow-up turn must be answered
with the topic it refers to ("same" and "more": the previous topic, by its answer or the article passage
`action_tell_more` gives for the last topic).

`python -m evaluation.realistic` prints the table (also part of `make bench`).
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Text, Tuple

import yaml
from rasa.shared.core.domain import Domain

from actions.context import LAST_TOPIC
from actions.fallback import did_you_mean_buttons
from clinic.paths import DOMAIN, MODEL, ROOT
from clinic.topics import FAQ_RESPONSE_PREFIX, PROVIDER_POINTER, is_faq
from evaluation.heldout import label_of
from evaluation.stack import start_action_server

# frozen batches by name: tests/nlu/blind_realistic_a.yml is "a"; each was scored before anything was tuned
BLIND_SETS = {p.stem[len("blind_realistic_"):]: p for p in sorted((ROOT / "tests" / "nlu").glob("blind_realistic_*.yml"))}
PROVIDER_INTENTS = {"personal_question", "ask_diagnosis"}
# replies that also send the visitor to their doctor and the clinic (with the booking button): a pointer for a
# personal question ("could massage interfere with my tablets?"), and a rejection of a claim out of scope
POINTING_INTENTS = PROVIDER_INTENTS | {"medication_or_cure"}
TELL_MORE = "action_tell_more"


def load(paths: Sequence[Path] = tuple(BLIND_SETS.values())) -> Dict[Text, List[Any]]:
    merged: Dict[Text, List[Any]] = {"faq": [], "personal": [], "followups": [], "out_of_scope": []}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in merged:
            merged[key] += data.get(key) or []
    return merged


def lines(blind: Dict[Text, List[Any]]) -> List[Text]:
    """Every visitor message of the sets (for the check that none is in the training data)."""
    texts = [entry["text"] for key in ("faq", "personal", "out_of_scope") for entry in blind[key]]
    return texts + [turn["text"] for conversation in blind["followups"] for turn in conversation["turns"]]


@dataclass
class Rate:
    hits: int = 0
    total: int = 0
    misses: List[Tuple[Text, Text, Text]] = field(default_factory=list)  # (text, expected, got)

    def add(self, ok: bool, text: Text = "", expected: Text = "", got: Text = "") -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.misses.append((text, expected, got))

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass
class Result:
    direct: Rate = field(default_factory=Rate)
    wrong_topic: Rate = field(default_factory=Rate)
    one_click: Rate = field(default_factory=Rate)
    personal: Rate = field(default_factory=Rate)
    followups: Rate = field(default_factory=Rate)
    out_of_scope: Rate = field(default_factory=Rate)
    pointers: Rate = field(default_factory=Rate)  # FAQ answers that end with a pointer to a provider


class Assistant:
    """The trained model in-process: NLU parses, and conversations through the dialogue rules and a real
    action server (follow-ups need `action_tell_more`)."""

    def __init__(self, model: Path, action_server_url: Optional[Text] = None) -> None:
        from rasa.core.agent import Agent
        from rasa.utils.endpoints import EndpointConfig

        # the clinic's details fill the responses as on the server (endpoints.yml `nlg`)
        self.agent = Agent.load(str(model), generator=EndpointConfig(type="addons.clinic_responses.ClinicResponses"),
                                action_endpoint=EndpointConfig(action_server_url) if action_server_url else None)
        self.loop = asyncio.new_event_loop()
        self.domain = Domain.load(str(DOMAIN)).as_dict()

    def parse(self, text: Text) -> Dict[Text, Any]:
        return self.loop.run_until_complete(self.agent.parse_message(text))

    def answer_label(self, text: Text, sender: Text) -> Text:
        """What the bot answers in a conversation: the FAQ topic of its answer (faq_<topic>), else the intent."""
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
        from rasa.shared.core.events import ActionExecuted, UserUttered

        async def handle() -> Text:
            await self.agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))
            tracker = await self.agent.tracker_store.retrieve(sender)
            answered = []
            for event in reversed(tracker.events):
                if isinstance(event, UserUttered):
                    break
                if isinstance(event, ActionExecuted) and (event.action_name or "").startswith(FAQ_RESPONSE_PREFIX):
                    answered.append(event.action_name[len("utter_"):])
                if isinstance(event, ActionExecuted) and event.action_name == TELL_MORE and tracker.get_slot(LAST_TOPIC):
                    answered.append(f"faq_{tracker.get_slot(LAST_TOPIC)}")
            return answered[0] if answered else label_of(tracker.latest_message.parse_data)

        return self.loop.run_until_complete(handle())


@contextmanager
def scoring_assistant(model: Path = MODEL) -> Iterator[Assistant]:
    """The model in-process with its own action server on a free port."""
    with tempfile.TemporaryDirectory(prefix="realistic-") as tmp:
        actions = start_action_server(Path(tmp), dict(os.environ))
        try:
            actions.wait()
            yield Assistant(model, actions.url)
        finally:
            actions.stop()


def score(assistant: Assistant, blind: Dict[Text, List[Any]], name: Text = "") -> Result:
    result = Result()
    for entry in blind["faq"]:
        parse = assistant.parse(entry["text"])
        got, expected = label_of(parse), f"faq_{entry['topic']}"
        offered = [b["payload"] for b in did_you_mean_buttons(parse, assistant.domain)] if got == "nlu_fallback" else []
        result.direct.add(got == expected, entry["text"], expected, got)
        result.wrong_topic.add(is_faq(got) and got != expected)  # a "hit" here is a wrong answer
        result.one_click.add(got == expected or f"/{expected}" in offered, entry["text"], expected, got)
        if got == expected:
            result.pointers.add(bool(parse.get(PROVIDER_POINTER)), entry["text"], entry.get("style", ""), got)
    for entry in blind["personal"]:
        parse = assistant.parse(entry["text"])
        got = label_of(parse)
        pointed = got in POINTING_INTENTS or (is_faq(got) and bool(parse.get(PROVIDER_POINTER)))
        result.personal.add(pointed, entry["text"], "provider", got)
    for entry in blind["out_of_scope"]:
        got = label_of(assistant.parse(entry["text"]))
        result.out_of_scope.add(not is_faq(got) and got not in PROVIDER_INTENTS, entry["text"], "rejected", got)
    for number, conversation in enumerate(blind["followups"]):
        previous: Optional[Text] = None
        for index, turn in enumerate(conversation["turns"]):
            got = assistant.answer_label(turn["text"], sender=f"realistic-{name}-{number}")
            meant = previous if turn["expect"] in ("same", "more") else f"faq_{turn['expect']}"
            if index:
                result.followups.add(got == meant, turn["text"], str(meant), got)
            previous = meant
    return result


ROWS = [
    ("FAQ questions answered directly", "direct", "0.95"),
    ("FAQ questions answered with a wrong topic", "wrong_topic", "0"),
    ("FAQ questions answered within one click", "one_click", "0.98"),
    ("follow-up turns answered in context", "followups", "0.90"),
    ("out-of-scope requests rejected", "out_of_scope", "0.95"),
    ("personal questions pointed to a provider", "personal", "0.95"),
    ("FAQ answers that also point to a provider (a personal touch)", "pointers", "-"),
]


def score_sets(assistant: Assistant) -> Dict[Text, Result]:
    """Every frozen batch scored on its own."""
    return {name: score(assistant, load([path]), name) for name, path in BLIND_SETS.items()}


def table(results: Dict[Text, Result]) -> Text:
    """One row per batch (rate and count of each measure), then the targets."""
    lines = ["| batch | " + " | ".join(label for label, _, _ in ROWS) + " |", "|---|" + "---|" * len(ROWS)]
    for name, result in results.items():
        cells = [f"{getattr(result, measure).rate:.3f} ({getattr(result, measure).hits} / {getattr(result, measure).total})"
                 for _, measure, _ in ROWS]
        lines.append(f"| {name.upper()} | " + " | ".join(cells) + " |")
    lines.append("| target | " + " | ".join(target for _, _, target in ROWS) + " |")
    return "\n".join(lines)


def main() -> None:
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no per-message debug lines
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL  # another trained model, to compare
    with scoring_assistant(model) as assistant:
        results = score_sets(assistant)
    print(table(results))
    # (wrong-topic answers are among the direct misses: their third column is another faq_ topic)
    for set_name, result in results.items():
        for name in ("direct", "followups", "out_of_scope", "personal"):
            misses = getattr(result, name).misses
            print(f"\nbatch {set_name.upper()}, {name}: {len(misses)} misses")
            for text, expected, got in misses[:400]:
                print(f"  {expected:24} {got:24} {text}")


if __name__ == "__main__":
    main()
