"""The REST and callback channels with their input checked: a clear 400/413, never a 500.

Rasa's own channels answer 500 to an empty body or a JSON list, silently drop a missing or non-text
message, and file every sender-less request under one shared "default" conversation. These accept only
{"sender": "<id>", "message": "<text>"[, "metadata": {...}]}, and read messages of up to
MAX_MESSAGE_CHARS characters. Registered in credentials.yml as `channels.rest.RestInput` and
`channels.rest.CallbackInput`, with Rasa's URLs (/webhooks/rest/webhook, /webhooks/callback/webhook).
"""
from typing import Any, Dict, Optional, Text

from rasa.core.channels import callback, rest
from sanic import Sanic
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request

from addons.message_limit import MAX_MESSAGE_CHARS
from channels.guard import GuardedChannel

MAX_SENDER_CHARS = 128
# Whole request bodies, for every endpoint of the server (Sanic's own default is 100 MB).
MAX_REQUEST_BYTES = 64 * 1024
USAGE = 'send a JSON object: {"sender": "<conversation id>", "message": "<text>"}'


def apply_request_limits(app: Sanic, _loop: Any) -> None:
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"  # errors as JSON, also for requests without a JSON body


def _body(request: Request) -> Dict[Text, Any]:
    body = request.json  # invalid JSON is already a 400 from Sanic
    if not isinstance(body, dict):
        raise InvalidUsage(f"The request body must be a JSON object: {USAGE}")
    return body


class _CheckedJsonMessages:
    """The request parsing of Rasa's RestInput, with each field checked."""

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = _body(req).get("sender")
        if isinstance(sender, int) and not isinstance(sender, bool):
            sender = str(sender)
        if not isinstance(sender, str) or not sender.strip():
            raise InvalidUsage(f'"sender" must be a non-empty string: {USAGE}')
        if len(sender) > MAX_SENDER_CHARS:
            raise InvalidUsage(f'"sender" must be at most {MAX_SENDER_CHARS} characters')
        return sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = _body(req).get("message")
        if not isinstance(message, str) or not message.strip():
            raise InvalidUsage(f'"message" must be a non-empty string: {USAGE}')
        if len(message) > MAX_MESSAGE_CHARS:
            raise PayloadTooLarge(f"Messages are limited to {MAX_MESSAGE_CHARS} characters; this one has {len(message)}")
        return message

    def _extract_input_channel(self, req: Request) -> Text:
        channel = _body(req).get("input_channel")
        return channel if isinstance(channel, str) and channel else self.name()  # type: ignore[attr-defined]

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage('"metadata" must be a JSON object')
        return metadata

    def blueprint(self, on_new_message):  # type: ignore[no-untyped-def]
        blueprint = super().blueprint(on_new_message)  # type: ignore[misc]
        blueprint.listener("before_server_start")(apply_request_limits)
        return blueprint


class RestInput(_CheckedJsonMessages, GuardedChannel, rest.RestInput):
    pass


class CallbackInput(_CheckedJsonMessages, GuardedChannel, callback.CallbackInput):
    pass
