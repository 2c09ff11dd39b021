"""Run a rasa-sdk action against a hand-made tracker and render what it said with domain.yml's texts."""
import asyncio
from typing import Any, Dict, List, Optional, Sequence

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    intent: str,
    entities: Sequence[Dict[str, Any]] = (),
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    **parse_data: Any,
) -> Tracker:
    latest = {"intent": {"name": intent, "confidence": 0.9}, "entities": list(entities), "text": text, **parse_data}
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action: Action, tracker: Tracker, domain: Dict[str, Any]):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events


def render(message: Dict[str, Any], domain: Dict[str, Any]) -> str:
    """The text a user sees: the domain response filled with the values the action passed."""
    template = domain["responses"][message["response"]][0]["text"]
    values = {k: v for k, v in message.items() if isinstance(v, str)}
    return template.format(**values)


def payloads(message: Dict[str, Any]) -> List[str]:
    return [b["payload"] for b in message.get("buttons") or []]
