"""Fills the clinic's details into every response, on the Rasa server (endpoints.yml `nlg`).

Responses such as utter_emergency and utter_crisis name {emergency_number} and {crisis_line}. Filling them
here, not in a custom action, means the emergency and crisis replies are plain domain responses that work,
and are stored as sent, even when the action server is down. Values an action passes still win.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.clinic import ClinicDetails


class ClinicResponses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        details = ClinicDetails.from_env().template_values()
        return await super().generate(utter_action, tracker, output_channel, **{**details, **kwargs})
