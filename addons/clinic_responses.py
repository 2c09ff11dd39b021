"""Fills the clinic's details (clinic.yml) into every response, on the Rasa server (endpoints.yml `nlg`).

Practical answers (opening hours, prices, address ...) come from the profile as it is now; one whose field
is empty becomes utter_profile_missing, which gives the clinic's number instead of a guess.

Responses such as utter_emergency and utter_crisis name {emergency_number} and {crisis_line}. Filling them
here, not in a custom action, means the emergency and crisis replies are plain domain responses that work,
and are stored as sent, even when the action server is down. Values an action passes still win.

An FAQ answer the FAQ gate flagged `provider_pointer` (a general question asked with a personal touch) gets
one more paragraph, utter_provider_pointer, tailored to the condition mentioned, and a booking button.

An answer built from the clinic's articles names them in its metadata (`sources`): its reply ends with a
"Source: <title>" paragraph, made here and nowhere else (clinic/knowledge.py `cite`).

A personal or medical question (utter_suggest_provider) gets the suggestion to ask a provider tailored to the
condition mentioned (clinic/conditions.py), with a button to what the articles say about it, if anything.

Every reply also carries what the website chat needs to make it actionable (`reply_extras`): `links` to tap
("Call 911", "Call the clinic", "Book online") and, for the emergency and crisis replies, a `kind` that the
widget shows in its own style. They are stored with the reply (its metadata); text channels ignore them, as
the reply's text already names the number and the address.

An answer the visitor may vote on ("was this helpful?", `VOTED_ON`) gets two more buttons on channels that
have none (SMS and WhatsApp), which show them as numbered choices: "reply 1 or 2". The website chat draws
its own thumbs from the reply's `answer` (channels/socketio.py) instead.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from clinic.conditions import BOOK_BUTTON, CONDITIONS, GENERAL_ADVICE, mentioned_condition, provider_suggestion
from clinic.knowledge import cite, titles
from clinic.profile import DESCRIPTIONS, ClinicDetails
from clinic.topics import FAQ_RESPONSE_PREFIX, PROVIDER_POINTER, faq_button

# a personal or medical question: whether massage suits them is for a provider, tailored to the condition
SUGGEST_PROVIDER = "utter_suggest_provider"
# after an FAQ answer to a general question asked with a personal touch
POINTER_RESPONSE = "utter_provider_pointer"
# the practical answers and the field of clinic.yml each needs (utter_profile_missing when it is empty)
PROFILE_RESPONSES = {
    "utter_opening_hours": "opening_hours", "utter_prices": "services", "utter_location": "address",
    "utter_parking": "parking", "utter_insurance": "insurance", "utter_cancellation_policy": "cancellation_policy",
    "utter_languages": "languages",
}
MISSING_RESPONSE = "utter_profile_missing"
# replies that are an emergency in themselves: shown in their own style, the number to call first
EMERGENCY_KINDS = {"utter_emergency": "emergency", "utter_crisis": "crisis", "utter_unavailable": "unavailable"}
# answers the visitor may vote on ("was this helpful?"): the vote names the response it is about
VOTED_ON = ("utter_faq_", "utter_default", "utter_did_you_mean", "utter_suggest_provider", MISSING_RESPONSE,
            "utter_medication_or_cure", *PROFILE_RESPONSES)
# channels without buttons, where the vote is offered as numbered choices (channels/sms.py)
TEXT_ONLY_CHANNELS = ("twilio", "sms")


class ClinicResponses(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        clinic = ClinicDetails.from_env()
        details = clinic.template_values()
        missing = PROFILE_RESPONSES.get(utter_action)
        if missing and clinic.missing(missing):
            # never a guess: the field is not in clinic.yml, so the visitor gets the number to call
            utter_action, kwargs = MISSING_RESPONSE, {**kwargs, "missing": DESCRIPTIONS[missing]}
        tailored = utter_action == SUGGEST_PROVIDER or (
            utter_action.startswith(FAQ_RESPONSE_PREFIX) and bool(_latest_parse(tracker).get(PROVIDER_POINTER)))
        condition = mentioned_condition(_latest_parse(tracker), tracker.get_slot("condition")) if tailored else None
        if utter_action == SUGGEST_PROVIDER:
            kwargs = {**provider_suggestion(condition, details["crisis_line"]), **kwargs}
        response = await super().generate(utter_action, tracker, output_channel, **{**details, **kwargs})
        if not response:
            return None
        metadata = response.get("metadata") or {}
        response["text"] = cite(response.get("text") or "", titles(metadata.get("sources") or []))
        # the article passages an answer comes from are for the grounding test, not for every stored reply
        response["metadata"] = {key: value for key, value in metadata.items() if key != "passages"}
        if utter_action == SUGGEST_PROVIDER:
            response["buttons"] = [*self._topic_button(condition), BOOK_BUTTON]
        elif tailored:  # an FAQ answer the gate flagged for a pointer
            suggestion = provider_suggestion(condition, details["crisis_line"])
            pointer = await super().generate(POINTER_RESPONSE, tracker, output_channel, **{**details, **suggestion})
            response["text"] = f"{response['text']}\n\n{(pointer or {}).get('text') or ''}"
            response["buttons"] = [*(response.get("buttons") or []), BOOK_BUTTON]
        response.update(reply_extras(utter_action, response["text"], clinic))
        if output_channel in TEXT_ONLY_CHANNELS and utter_action.startswith(VOTED_ON):
            response["buttons"] = [*(response.get("buttons") or []), *vote_buttons(utter_action)]
        return response

    def _topic_button(self, condition: Optional[Text]) -> List[Dict[Text, Text]]:
        """What the articles do say about the condition, if they say something: a button to that answer."""
        topic = CONDITIONS.get(condition or "", GENERAL_ADVICE).topic
        return [faq_button({"responses": self.responses}, topic)] if topic else []


def vote_buttons(answer: Text) -> List[Dict[Text, Text]]:
    """The two votes on an answer, as the `feedback` intent with the response they are about."""
    return [{"title": title, "payload": "/feedback" + json.dumps({"helpful": vote, "answer": answer})}
            for vote, title in (("yes", "This answer helped"), ("no", "This answer didn't help"))]


def tel_link(number: Text) -> Text:
    """A number as people write it ("(310) 555-0142") as a link a phone can dial."""
    return "tel:" + re.sub(r"(?!^\+)[^\d]", "", number.strip())


def reply_extras(utter_action: Text, text: Text, clinic: ClinicDetails) -> Dict[Text, Any]:
    """`links` to tap for the numbers and addresses the reply names, and its `kind` if it is an emergency."""
    links: List[Dict[Text, Text]] = []
    kind = EMERGENCY_KINDS.get(utter_action)
    if kind == "crisis":
        links.append({"title": f"Call or text {clinic.crisis_line}", "url": tel_link(clinic.crisis_line)})
    if kind or clinic.emergency_number in re.findall(r"\d+", text):
        links.append({"title": f"Call {clinic.emergency_number}", "url": tel_link(clinic.emergency_number)})
    if clinic.crisis_line in re.findall(r"\d+", text) and kind != "crisis":
        links.append({"title": f"Call or text {clinic.crisis_line}", "url": tel_link(clinic.crisis_line)})
    if clinic.clinic_phone in text:
        links.append({"title": "Call the clinic", "url": tel_link(clinic.clinic_phone)})
    if clinic.booking_url in text:
        links.append({"title": "Book online", "url": clinic.booking_url})
    if clinic.map_url and clinic.map_url in text:
        links.append({"title": "Open the map", "url": clinic.map_url})
    return {"links": links, **({"kind": kind} if kind else {})}


def _latest_parse(tracker: DialogueStateTracker) -> Dict[Text, Any]:
    latest = tracker.latest_message
    return latest.parse_data if latest else {}
