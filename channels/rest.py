"""The REST and callback channels with their input checked: a clear 400/413, never a 500.

Rasa's own channels answer 500 to an empty body or a JSON list, silently drop a missing or non-text
message, and file every sender-less request under one shared "default" conversation. These accept only
{"sender": "<id>", "message": "<text>"[, "metadata": {...}]}, and read messages of up to
MAX_ACCEPTED_CHARS characters. Registered in credentials.yml as `channels.rest.RestInput` and
`channels.rest.CallbackInput`, with Rasa's URLs (/webhooks/rest/webhook, /webhooks/callback/webhook).
"""
import json
from typing import Any, Dict, Optional, Text

from rasa.core.channels import callback, rest
from sanic import Sanic, response
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.message_limit import MAX_ACCEPTED_CHARS
from channels.guard import GuardedChannel

MAX_SENDER_CHARS = 128
# Whole request bodies, for every endpoint of the server (Sanic's own default is 100 MB).
MAX_REQUEST_BYTES = 64 * 1024
USAGE = 'send a JSON object: {"sender": "<conversation id>", "message": "<text>"}'


# Rasa's HTTP API (when enabled) answers a body that is not JSON with a 500; it gets a 400 here.
API_PREFIXES = ("/model/", "/conversations/")


def apply_request_limits(app: Sanic, _loop: Any) -> None:
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.register_middleware(reject_invalid_json_on_api, "request")


async def reject_invalid_json_on_api(request: Request) -> Optional[HTTPResponse]:
    problem = _api_body_problem(request) if request.body and request.path.startswith(API_PREFIXES) else None
    return response.json({"status": 400, "message": problem}, status=400) if problem else None


def _api_body_problem(request: Request) -> Optional[Text]:
    try:
        body = json.loads(request.body)
    except ValueError:
        return "The request body is not valid JSON"
    if request.path.rstrip("/") == "/model/parse" and not (isinstance(body, dict) and isinstance(body.get("text"), str)):
        return 'The request body must be a JSON object with a "text" string'
    if not isinstance(body, (dict, list)):
        return "The request body must be a JSON object"
    return None


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
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip():
        raise InvalidUsage(f'"sender" must be a non-empty string: {USAGE}')
    if len(sender) > MAX_SENDER_CHARS:
        raise InvalidUsage(f'"sender" must be at most {MAX_SENDER_CHARS} characters')
    if not isinstance(message, str) or not message.strip():
        raise InvalidUsage(f'"message" must be a non-empty string: {USAGE}')
    if len(message) > MAX_ACCEPTED_CHARS:
        raise PayloadTooLarge(f"Messages are limited to {MAX_ACCEPTED_CHARS} characters; this one has {len(message)}")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidUsage('"metadata" must be a JSON object')
    return {**body, "sender": sender}


class _CheckedJsonMessages:
    """The request parsing of Rasa's RestInput, with each field checked (the sender is read first)."""

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return checked_message(req)["sender"]

    def _extract_message(self, req: Request) -> Optional[Text]:
        return checked_message(req)["message"]

    def _extract_input_channel(self, req: Request) -> Text:
        channel = _body(req).get("input_channel")
        return channel if isinstance(channel, str) and channel else self.name()  # type: ignore[attr-defined]

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return checked_message(request).get("metadata")

    def blueprint(self, on_new_message):  # type: ignore[no-untyped-def]
        blueprint = super().blueprint(on_new_message)  # type: ignore[misc]
        blueprint.listener("before_server_start")(apply_request_limits)
        return blueprint


class RestInput(_CheckedJsonMessages, GuardedChannel, rest.RestInput):
    pass


class CallbackInput(_CheckedJsonMessages, GuardedChannel, callback.CallbackInput):
    pass
