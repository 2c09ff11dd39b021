"""Fills the clinic's details into every response, on the Rasa server (endpoints.yml `nlg`).

Responses such as utter_emergency and utter_crisis name {emergency_number} and {crisis_line}. Filling them
here, not in a custom action, means the emergency and crisis replies are plain domain responses that work,
and are stored as sent, even when the action server is down. Values an action passes still win.

An FAQ answer the FAQ gate flagged `provider_pointer` (a general question asked with a personal touch) gets
one more paragraph, utter_provider_pointer, tailored to the condition mentioned, and a booking button.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.clinic import ClinicDetails
from actions.provider import BOOK_BUTTON, mentioned_condition, provider_suggestion
from actions.topics import FAQ_RESPONSE_PREFIX, PROVIDER_POINTER

POINTER_RESPONSE = "utter_provider_pointer"


class ClinicResponses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        details = ClinicDetails.from_env().template_values()
        response = await super().generate(utter_action, tracker, output_channel, **{**details, **kwargs})
        if response and utter_action.startswith(FAQ_RESPONSE_PREFIX) and _asks_for_pointer(tracker):
            condition = mentioned_condition(tracker.latest_message.parse_data, tracker.get_slot("condition"))
            tailored = provider_suggestion(condition, details["crisis_line"])
            pointer = await super().generate(POINTER_RESPONSE, tracker, output_channel, **{**details, **tailored})
            response["text"] = f"{response.get('text') or ''}\n\n{pointer['text']}"
            response["buttons"] = [*(response.get("buttons") or []), BOOK_BUTTON]
        return response


def _asks_for_pointer(tracker: DialogueStateTracker) -> bool:
    latest = tracker.latest_message
    return bool(latest and latest.parse_data.get(PROVIDER_POINTER))
