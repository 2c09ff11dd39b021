"""Every message gets an answer: when handling it fails or produces no reply, the visitor hears why.

That happens when the action server is down (a provider suggestion needs it; the emergency and crisis
replies do not, see addons/clinic_responses.py). Instead of silence the visitor gets a short apology with the
clinic's phone number and the emergency number, stored with the conversation like any reply. While the
conversation database is unreachable, a message is refused instead (503, with the emergency number), since an
answer could not be stored. Logs name the conversation but never the message text.

Once accepted, a message is handled to the end: a client hanging up does not cancel it, and a server that is
stopping (a restart, a deployment) finishes the messages it is handling first.
"""
import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Set, Text, Tuple

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, Event, SlotSet
from sanic import Blueprint, Sanic
from sanic.exceptions import ServiceUnavailable

from addons.clinic_responses import reply_extras
from channels.server_limits import limit_requests
from clinic.profile import ClinicDetails
from stores.database import ConversationNotSaved

UNAVAILABLE_RESPONSE = "utter_unavailable"  # not in the domain: the channel's own apology
UNDELIVERED_SLOT = "undelivered_replies"
logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def apology() -> Dict[Text, Any]:
    """The channel's own reply when handling failed: the emergency number first, the clinic's phone, and the
    links the website chat shows under it."""
    clinic = ClinicDetails.from_env()
    text = (
        f"If this is an emergency, call {clinic.emergency_number} now. Otherwise: sorry, I can't answer that "
        f"right now. Please try again in a moment, or call {clinic.clinic_name} on {clinic.clinic_phone}."
    )
    return {"text": text, **reply_extras(UNAVAILABLE_RESPONSE, text, clinic)}


def store_unavailable_text() -> Text:
    clinic = ClinicDetails.from_env()
    return (f"The assistant can't keep conversations right now, so it is not answering. If this is an "
            f"emergency, call {clinic.emergency_number} now. Otherwise please try again in a few minutes, or "
            f"call {clinic.clinic_name} on {clinic.clinic_phone}.")


class ConversationStoreUnavailable(ServiceUnavailable):
    """The conversation database is unreachable: the message is refused (503), not answered unstored."""


async def store_reachable() -> bool:
    """Whether the server's conversation store answers now (True where there is none to check)."""
    try:
        store = Sanic.get_app().ctx.agent.tracker_store
    except Exception:  # no server (a test's own handler): nothing to check
        return True
    check = getattr(getattr(store, "_tracker_store", store), "reachable", None)  # inside Rasa's FailSafe store
    return await asyncio.get_running_loop().run_in_executor(None, check) if check else True


class _HeldOutput(OutputChannel):
    """Holds every reply until the message has been handled and stored, then passes them to the channel's
    own output (`send_held`): nothing reaches the visitor that the conversation store does not have."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.held: List[Tuple[Text, Dict[Text, Any]]] = []
        self.sent = 0

    def name(self) -> Text:
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.held.append((recipient_id, message))

    async def send_held(self) -> None:
        for recipient_id, message in self.held:
            self.sent += 1
            await self.inner.send_response(recipient_id, message)
        self.held = []

    def __getattr__(self, attribute: Text) -> Any:
        return getattr(self.inner, attribute)


# C0 control characters other than tab and newlines: PostgreSQL refuses NUL in text, and none is meant.
_CONTROL = {code: " " for code in range(32) if chr(code) not in "\t\n\r"}


# messages being handled: a server that is stopping (a restart, a deployment) finishes them first
_IN_FLIGHT: Set["asyncio.Future[None]"] = set()
FINISH_SECONDS = 20


async def finish_handling(_app: Any, _loop: Any) -> None:
    """A `before_server_stop` listener: waits for the messages being handled, so that none is answered and
    then lost with the process (Sanic cancels what is left when it stops)."""
    if _IN_FLIGHT:
        await asyncio.wait(set(_IN_FLIGHT), timeout=FINISH_SECONDS)


def _retrieve_exception(task: "asyncio.Future[None]") -> None:
    # a refusal (503) nobody waits for any more, the client having hung up, is not an error to report
    if not task.cancelled():
        task.exception()


def guarded(on_new_message: OnNewMessage,
            output_for: Callable[[OutputChannel], OutputChannel] = lambda output: output) -> OnNewMessage:
    async def answer(message: UserMessage) -> None:
        if not await store_reachable():
            raise ConversationStoreUnavailable(store_unavailable_text())
        if isinstance(message.text, str):
            message.text = message.text.translate(_CONTROL)
        output = _HeldOutput(output_for(message.output_channel))
        message.output_channel = output
        try:
            await on_new_message(message)
        except ConversationNotSaved:
            logger.error("Could not store a message of conversation %s: refused with 503", message.sender_id)
            raise ConversationStoreUnavailable(store_unavailable_text()) from None  # its replies are not sent
        except Exception as error:  # whatever failed, the visitor must not be left without an answer
            # the error's type only: its message may quote the visitor's words (channels/log_privacy.py)
            logger.error("Could not handle a message of conversation %s: %s", message.sender_id, type(error).__name__)
            logger.debug("The error in full:", exc_info=True)
        await output.send_held()
        if output.sent == 0:
            reply = apology()
            await _store(message.sender_id, BotUttered(reply["text"], metadata={"utter_action": UNAVAILABLE_RESPONSE}))
            await output.inner.send_response(message.sender_id, reply)
        undelivered = getattr(output.inner, "undelivered", 0)
        if undelivered:
            await _store(message.sender_id, SlotSet(UNDELIVERED_SLOT, undelivered))

    async def handle(message: UserMessage) -> None:
        # A visitor who hangs up (a phone going into a tunnel) cancels the request, not the handling: their
        # message and its replies are still stored.
        task = asyncio.ensure_future(answer(message))
        task.add_done_callback(_retrieve_exception)
        _IN_FLIGHT.add(task)
        task.add_done_callback(_IN_FLIGHT.discard)
        await asyncio.shield(task)

    return handle


async def _store(sender_id: Text, event: Event) -> None:
    """Adds what the channel did itself (a reply it sent, replies it could not deliver) to the conversation."""
    try:
        agent = Sanic.get_app().ctx.agent
        tracker = await agent.processor.fetch_tracker_with_initial_session(sender_id)
        tracker.update(event)
        await agent.processor.save_tracker(tracker)
    except (Exception, ConversationNotSaved) as error:  # e.g. the database failed
        logger.error("Could not store %s in conversation %s: %s", event.type_name, sender_id, type(error).__name__)


class GuardedChannel:
    """Mixin for an InputChannel: `class X(GuardedChannel, RasaChannel)`."""

    def output_for(self, output: OutputChannel) -> OutputChannel:
        """The output the replies go through (a channel may send more of each reply than Rasa's own does)."""
        return output

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = self.guarded_blueprint(guarded(on_new_message, self.output_for))
        blueprint.listener("before_server_stop")(finish_handling)
        limit_requests(blueprint)
        return blueprint

    def guarded_blueprint(self, handle: OnNewMessage) -> Blueprint:
        """The channel's blueprint, each message going to `handle` (Rasa's own blueprint, unless overridden)."""
        return super().blueprint(handle)  # type: ignore[misc]
