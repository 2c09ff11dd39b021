"""Twilio SMS / WhatsApp with quick replies as numbered choices.

SMS has no buttons: a reply's buttons are sent as "1. ...", "2. ..." lines, and when the visitor answers
with just a number, it is replaced by that button's payload. The choices are read back from the
conversation's own last bot message in the tracker store, so this works across restarts and replicas.
"""
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, Sanic

from channels.guard import GuardedChannel

CHOICE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def numbered_choices(text: Text, buttons: List[Dict[Text, Any]]) -> Text:
    lines = [f"{number}. {button['title']}" for number, button in enumerate(buttons, start=1)]
    return f"{text}\n\nReply with a number:\n" + "\n".join(lines)


def chosen_payload(reply: Text, buttons: List[Dict[Text, Any]]) -> Optional[Text]:
    match = CHOICE.match(reply or "")
    if not match or not 1 <= int(match.group(1)) <= len(buttons):
        return None
    return buttons[int(match.group(1)) - 1].get("payload")


class NumberedChoicesTwilioOutput(TwilioOutput):
    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, numbered_choices(text, buttons))


class NumberedChoicesTwilioInput(GuardedChannel, TwilioInput):
    @classmethod
    def name(cls) -> Text:
        return "sms"

    def get_output_channel(self) -> OutputChannel:
        return NumberedChoicesTwilioOutput(self.account_sid, self.auth_token, self.twilio_number)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        app: Dict[Text, Sanic] = {}

        async def with_choices(message: UserMessage) -> Any:
            message.text = await self._resolve_choice(app["current"], message) or message.text
            return await on_new_message(message)

        webhook = super().blueprint(with_choices)

        @webhook.middleware("request")
        async def remember_app(request: Any) -> None:
            app["current"] = request.app

        return webhook

    @staticmethod
    async def _resolve_choice(app: Sanic, message: UserMessage) -> Optional[Text]:
        if not CHOICE.match(message.text or ""):
            return None
        tracker = await app.ctx.agent.tracker_store.retrieve(message.sender_id)
        for event in reversed(tracker.events if tracker else []):
            if event.type_name == "bot":
                return chosen_payload(message.text, event.data.get("buttons") or [])
        return None
