"""Every message gets an answer: when handling it fails or produces no reply, the visitor hears why.

That happens when the action server is down (a provider suggestion needs it; the emergency and crisis
replies do not, see addons/clinic_responses.py) or the conversation database is briefly unreachable. Instead of silence the visitor gets a short apology with the
clinic's phone number and the emergency number. Logs name the conversation but never the message text.
"""
import logging
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from actions.clinic import ClinicDetails
from addons.clinic_responses import reply_extras

UNAVAILABLE_RESPONSE = "utter_unavailable"  # not in the domain: the channel's own apology
logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def unavailable_text() -> Text:
    clinic = ClinicDetails.from_env()
    return (
        f"If this is an emergency, call {clinic.emergency_number} now. Otherwise: sorry, I can't answer that "
        f"right now. Please try again in a moment, or call {clinic.clinic_name} on {clinic.clinic_phone}."
    )


def unavailable_extras() -> Dict[Text, Any]:
    """The links the website chat shows under the apology (the emergency number first, as its text)."""
    return reply_extras(UNAVAILABLE_RESPONSE, unavailable_text(), ClinicDetails.from_env())


class _CountingOutput(OutputChannel):
    """Passes every reply to the channel's own output and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, attribute: Text) -> Any:
        return getattr(self.inner, attribute)


# C0 control characters other than tab and newlines: PostgreSQL refuses NUL in text, and none is meant.
_CONTROL = {code: " " for code in range(32) if chr(code) not in "\t\n\r"}


def guarded(on_new_message: OnNewMessage,
            output_for: Callable[[OutputChannel], OutputChannel] = lambda output: output) -> OnNewMessage:
    async def handle(message: UserMessage) -> None:
        if isinstance(message.text, str):
            message.text = message.text.translate(_CONTROL)
        output = _CountingOutput(output_for(message.output_channel))
        message.output_channel = output
        try:
            await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - the visitor must not be left without an answer
            logger.error("Could not handle a message of conversation %s: %r", message.sender_id, error)
        if output.sent == 0:
            await output.inner.send_response(message.sender_id, {"text": unavailable_text(), **unavailable_extras()})

    return handle


class GuardedChannel:
    """Mixin for an InputChannel: `class X(GuardedChannel, RasaChannel)`."""

    def output_for(self, output: OutputChannel) -> OutputChannel:
        """The output the replies go through (a channel may send more of each reply than Rasa's own does)."""
        return output

    def blueprint(self, on_new_message: OnNewMessage):  # type: ignore[no-untyped-def]
        return super().blueprint(guarded(on_new_message, self.output_for))  # type: ignore[misc]
