"""Limits for the whole server, whichever channels credentials.yml lists: every channel of ours registers them
(GuardedChannel.blueprint), once per server.

- request bodies over MAX_REQUEST_BYTES are refused before they are read (Sanic's default is 100 MB);
- a "Content-Length: -1" gets a 400 at once (Sanic waited for the body until its 60 s request timeout);
- Rasa's HTTP API (when enabled) answered a body that is not JSON with a 500; it gets a 400.
"""
import hmac
import json
import os
from typing import Any, Optional, Text

from sanic import Blueprint, Sanic, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.input_checks import MAX_REQUEST_BYTES

# Rasa's HTTP API (when enabled) answers a body that is not JSON with a 500; it gets a 400 here.
API_PREFIXES = ("/model/", "/conversations/")


def limit_requests(blueprint: Blueprint) -> None:
    """Registers the limits through a channel's blueprint (channels have no app of their own)."""
    blueprint.listener("before_server_start")(apply_request_limits)
    blueprint.signal("http.lifecycle.request")(refuse_an_impossible_length)  # every request, every route


def apply_request_limits(app: Sanic, _loop: Any) -> None:
    if getattr(app.ctx, "requests_limited", False):  # another channel registered them already
        return
    app.ctx.requests_limited = True
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.register_middleware(reject_invalid_json_on_api, "request")


async def refuse_an_impossible_length(request: Request) -> None:
    """An `http.lifecycle.request` signal handler: Sanic waited for the body of a "Content-Length: -1" until
    its request timeout (60 s), holding the connection; it gets a 400 at once."""
    if getattr(request.ctx, "length_checked", False):  # the signal of another channel's blueprint
        return
    request.ctx.length_checked = True
    length = request.headers.get("content-length")
    if length is not None and not length.strip().isdigit():
        raise InvalidUsage("Content-Length must be a number of bytes")


async def reject_invalid_json_on_api(request: Request) -> Optional[HTTPResponse]:
    # only for a caller with the token: anyone else gets Rasa's 401 first, and learns nothing of the API
    if not (request.body and request.path.startswith(API_PREFIXES) and _has_the_token(request)):
        return None
    problem = _api_body_problem(request)
    return response.json({"status": 400, "message": problem}, status=400) if problem else None


def _has_the_token(request: Request) -> bool:
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    return bool(token) and hmac.compare_digest(request.args.get("token", ""), token)


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
