"""The REST and callback channels with their input checked: a clear 400/413, never a 500.

Rasa's own channels answer 500 to an empty body or a JSON list, silently drop a missing or non-text
message, and file every sender-less request under one shared "default" conversation. These accept only
{"sender": "<id>", "message": "<text>"[, "metadata": {...}]}, and read messages of up to
MAX_ACCEPTED_CHARS characters. Registered in credentials.yml as `channels.rest.RestInput` and
`channels.rest.CallbackInput`, with Rasa's URLs (/webhooks/rest/webhook, /webhooks/callback/webhook).
"""
import asyncio
import logging
import os
from typing import Any, Dict, Optional, Text

from rasa.core.channels import callback, rest
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import GuardedChannel, OnNewMessage
from channels.input_checks import TOO_LARGE, message_problem, sender_problem

logger = logging.getLogger(__name__)
# waits before the second and third attempt to deliver a reply to the callback URL
DELIVERY_RETRY_SECONDS = (0.5, 2.0)
USAGE = 'send a JSON object: {"sender": "<conversation id>", "message": "<text>"}'


def _body(request: Request) -> Dict[Text, Any]:
    body = request.json  # invalid JSON is already a 400 from Sanic
    if not isinstance(body, dict):
        raise InvalidUsage(f"The request body must be a JSON object: {USAGE}")
    return body


def checked_message(request: Request) -> Dict[Text, Any]:
    """The request body, each field checked (once per request); raises a 400 or 413 with the reason."""
    if not hasattr(request.ctx, "checked_message"):
        request.ctx.checked_message = _check(_body(request))
    return request.ctx.checked_message


def _check(body: Dict[Text, Any]) -> Dict[Text, Any]:
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    problem = sender_problem(sender)
    if problem:
        raise InvalidUsage(f'"sender" {problem}: {USAGE}')
    refused = message_problem(body.get("message"), body.get("metadata"))
    if refused:
        status, reason = refused
        raise PayloadTooLarge(reason) if status == TOO_LARGE else InvalidUsage(f"{reason}: {USAGE}")
    return {**body, "sender": sender}


class _CheckedJsonMessages:
    """The webhook of Rasa's REST and callback channels, with each field checked, and the message handled to
    the end (stored, answered) even if the client hangs up; a 503 while the conversation store is down
    (Rasa's own handler answered 200 with no reply and lost the message in both cases)."""

    def _output(self) -> OutputChannel:
        return CollectingOutputChannel()

    def _reply(self, output: OutputChannel) -> HTTPResponse:
        return response.json(output.messages)

    def guarded_blueprint(self, handle: OnNewMessage) -> Blueprint:
        name = self.name()  # type: ignore[attr-defined]
        webhook = Blueprint(f"{name}_webhook", url_prefix=f"/webhooks/{name}")

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = checked_message(request)
            channel = body.get("input_channel")
            output = self._output()
            await handle(UserMessage(body["message"], output, body["sender"], metadata=body.get("metadata"),
                                     input_channel=channel if isinstance(channel, str) and channel else name))
            return self._reply(output)

        return webhook


class RestInput(_CheckedJsonMessages, GuardedChannel, rest.RestInput):
    pass


class RetryingOutput(OutputChannel):
    """Delivers each reply to the callback URL, retrying after DELIVERY_RETRY_SECONDS; a reply still not
    delivered is counted (`undelivered`, recorded in the conversation by channels/guard.py), never raised:
    a failed delivery must not stop the message and its replies from being stored."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner, self.undelivered = inner, 0

    def name(self) -> Text:
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        for delay in (*DELIVERY_RETRY_SECONDS, None):
            try:
                return await self.inner.send_response(recipient_id, dict(message))
            except Exception as error:  # any failure of the receiving service
                if delay is None:
                    self.undelivered += 1
                    logger.warning("Could not deliver a reply of conversation %s to the callback URL: %s",
                                   recipient_id, type(error).__name__)
                    return None
                await asyncio.sleep(delay)


class CallbackInput(_CheckedJsonMessages, GuardedChannel, callback.CallbackInput):
    """Off unless a URL is set (`url` in credentials.yml, else CALLBACK_URL): with a placeholder URL, every
    message was answered "success" while its replies went nowhere. Off, its webhook answers 404 saying so."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "CallbackInput":
        url = str((credentials or {}).get("url") or os.environ.get("CALLBACK_URL", "")).strip()
        return cls(EndpointConfig(url or None))

    def _output(self) -> OutputChannel:
        return self.get_output_channel()

    def _reply(self, output: OutputChannel) -> HTTPResponse:
        return response.text("success")

    def output_for(self, output: OutputChannel) -> OutputChannel:
        return RetryingOutput(output)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        if self.callback_endpoint.url:
            return super().blueprint(on_new_message)
        off = Blueprint("callback_webhook_off", url_prefix="/webhooks/callback")

        @off.route("/webhook", methods=["GET", "POST"])
        async def webhook(_request: Request) -> HTTPResponse:
            return response.json({"status": 404, "message": "The callback channel is off: set CALLBACK_URL"}, 404)

        return off
