"""Emergency referral. Red flags are detected deterministically in addons/red_flags.py (Rasa server side)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import ClinicDetails

# red-flag kinds (entity `red_flag`) that need the crisis line rather than only the emergency number
CRISIS_KINDS = {"self_harm"}


class ActionEmergencyReferral(Action):
    def name(self) -> Text:
        return "action_emergency_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kinds = set(tracker.get_latest_entity_values("red_flag"))
        response = "utter_crisis" if kinds & CRISIS_KINDS else "utter_emergency"
        dispatcher.utter_message(response=response, **ClinicDetails.from_env().template_values())
        return []
