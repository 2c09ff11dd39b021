"""Run a rasa-sdk action against a hand-made tracker and render what it said as the Rasa server would."""
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
    """The text a user sees: the response as the Rasa server fills it (the clinic's details, its source) with
    the values the action passed."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from addons.clinic_responses import ClinicResponses

    values = {k: v for k, v in message.items() if isinstance(v, str) and k not in ("response", "template")}
    generator = ClinicResponses(domain=Domain.from_dict(domain))
    tracker = DialogueStateTracker.from_events("test-user", [])
    generated = asyncio.run(generator.generate(message["response"], tracker, "rest", **values))
    assert generated, f"no response {message['response']}"
    return generated["text"]


def payloads(message: Dict[str, Any]) -> List[str]:
    return [b["payload"] for b in message.get("buttons") or []]
