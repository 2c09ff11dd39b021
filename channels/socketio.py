"""Rasa's Socket.IO channel (the website widget), as strict as REST, and private to the browser that holds it.

- Origins: Rasa 3.6 turns python-socketio's origin check off, so any website could open a WebSocket to the
  bot (browsers apply CORS to HTTP requests, not to WebSockets). This channel allows CORS_ORIGINS (the same
  list `rasa run --cors` uses) and the server's own loopback address; never what the request's Host header
  claims, which a DNS-rebinding page controls.
- Sessions: Rasa resumes any conversation whose id a client names, so whoever learnt a visitor's session id
  could read the replies to them and write into their conversation. Here the server issues each session id
  with a token signed by a secret (channels/session_tokens.py); the widget keeps both, and a session is
  resumed only with its token. Messages go to the session this connection was confirmed into, whatever
  session id they name.
- Input: the checks REST applies (channels/input_checks.py); a bad message gets an `invalid_message` event
  with the reason and is not handled; while the conversation store is unreachable, an `unavailable` event
  (REST: 503). Never an unhandled exception.
- Replies carry more than Rasa's own: the `links` to tap and the `kind` of an emergency reply
  (addons/clinic_responses.py), on the last part of each reply, where the widget draws them.

Registered in credentials.yml as `channels.socketio.SocketIOInput` (same URL and events as `socketio`).
"""
import os
import uuid
from typing import Any, Dict, List, Text

from rasa.core.channels import socketio
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint
from sanic_cors.core import SANIC_CORS_EVALUATED

from addons.clinic_responses import VOTED_ON
from channels.guard import ConversationStoreUnavailable, GuardedChannel, OnNewMessage
from channels.input_checks import MAX_REQUEST_BYTES, message_problem
from channels.session_tokens import session_token, valid_session

INVALID_MESSAGE_EVT = "invalid_message"
UNAVAILABLE_EVT = "unavailable"  # the message was not handled: the conversation store is unreachable


def allowed_origins() -> List[Text]:
    """CORS_ORIGINS, and the server's own address on loopback (the widget at /chat/ on this machine)."""
    port = os.environ.get("RASA_PORT", "5005")
    return [*os.environ.get("CORS_ORIGINS", "").split(), f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def _origin_allowed(origin: Text, _environ: Dict[Text, Any]) -> bool:
    allowed = allowed_origins()
    return origin in allowed or "*" in allowed


WIDGET_EXTRAS = ("links", "kind")


class WidgetOutput(socketio.SocketIOOutput):
    """Rasa's Socket.IO output, plus each reply's links and kind (on its last part)."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send_parts(recipient_id, text, [], kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        await self._send_parts(recipient_id, text, buttons, kwargs)

    async def _send_parts(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                          extras: Dict[Text, Any]) -> None:
        parts: List[Dict[Text, Any]] = [{"text": part} for part in text.strip().split("\n\n") or [text]]
        if buttons:
            parts[-1]["quick_replies"] = [
                {"content_type": "text", "title": button["title"], "payload": button["payload"]} for button in buttons]
        parts[-1].update({key: extras[key] for key in WIDGET_EXTRAS if extras.get(key)})
        response = extras.get("utter_action") or ""
        if response.startswith(VOTED_ON):
            parts[-1]["answer"] = response
        for part in parts:
            await self._send_message(recipient_id, part)


class SocketIOInput(GuardedChannel, socketio.SocketIOInput):
    def guarded_blueprint(self, handle: OnNewMessage) -> Blueprint:
        blueprint = super().guarded_blueprint(handle)
        self.sio.eio.cors_allowed_origins = _origin_allowed
        self.sio.eio.max_http_buffer_size = MAX_REQUEST_BYTES
        self.sessions: Dict[Text, Text] = {}  # connection (sid) -> the session it was confirmed into
        # Rasa's own handlers for these events are replaced (python-socketio keeps one handler per event)
        self.sio.on("session_request", self._session_request, namespace=self.namespace)

        async def user_message(sid: Text, data: Any = None) -> None:
            await self._user_message(sid, data, handle)

        async def disconnect(sid: Text) -> None:
            self.sessions.pop(sid, None)

        self.sio.on(self.user_message_evt, user_message, namespace=self.namespace)
        self.sio.on("disconnect", disconnect, namespace=self.namespace)
        blueprint.listener("before_server_start")(self._one_set_of_cors_headers)
        return blueprint

    async def _one_set_of_cors_headers(self, app: Any, _loop: Any) -> None:
        """python-engineio answers CORS for Socket.IO itself; `rasa run --cors` (sanic-cors) added the same
        headers again, and browsers refuse a response with two: long-polling from another origin failed."""
        async def skip_sanic_cors(request: Any) -> None:
            if request.path.startswith(self.socketio_path):
                setattr(request.ctx, SANIC_CORS_EVALUATED, "1")  # sanic-cors: "already done"

        app.register_middleware(skip_sanic_cors, "request")

    async def _session_request(self, sid: Text, data: Any = None) -> None:
        """Resumes the session named with its token, else starts a new one; confirms it with its token."""
        data = data if isinstance(data, dict) else {}
        session_id = data.get("session_id")
        if not valid_session(session_id, data.get("session_token")):
            session_id = uuid.uuid4().hex
        for room in self.sio.rooms(sid, namespace=self.namespace):
            if room not in (sid, session_id):
                self.sio.leave_room(sid, room, namespace=self.namespace)
        self.sio.enter_room(sid, session_id, namespace=self.namespace)
        self.sessions[sid] = session_id
        await self.sio.emit("session_confirm", {"session_id": session_id, "session_token": session_token(session_id)},
                            room=sid, namespace=self.namespace)

    async def _user_message(self, sid: Text, data: Any, handle: OnNewMessage) -> None:
        session_id = self.sessions.get(sid)
        if session_id is None:
            return await self._invalid(sid, "Start a session first (session_request), then send messages")
        if not isinstance(data, dict):
            return await self._invalid(sid, 'Send an object: {"message": "<text>"}')
        metadata = data.get(self.metadata_key)
        problem = message_problem(data.get("message"), metadata)
        if problem:
            return await self._invalid(sid, problem[1])
        output = WidgetOutput(self.sio, self.bot_message_evt)
        try:
            await handle(UserMessage(data["message"], output, session_id, input_channel=self.name(), metadata=metadata))
        except ConversationStoreUnavailable as unavailable:
            await self.sio.emit(UNAVAILABLE_EVT, {"message": str(unavailable)}, room=sid, namespace=self.namespace)

    async def _invalid(self, sid: Text, reason: Text) -> None:
        await self.sio.emit(INVALID_MESSAGE_EVT, {"message": reason}, room=sid, namespace=self.namespace)

    def output_for(self, output: OutputChannel) -> OutputChannel:
        return WidgetOutput(self.sio, self.bot_message_evt) if self.sio else output

    def get_output_channel(self) -> OutputChannel:
        return self.output_for(super().get_output_channel())
