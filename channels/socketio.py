"""Rasa's Socket.IO channel (the website widget), accepting connections only from allowed web origins.

Rasa 3.6 turns python-socketio's origin check off, so any website could open a WebSocket to the bot
(browsers apply CORS to HTTP requests, not to WebSockets). This channel allows the server's own origin
(the widget served at /chat/) and the origins in CORS_ORIGINS, the same list `rasa run --cors` uses.
Registered in credentials.yml as `channels.socketio.SocketIOInput` (same URL and events as `socketio`).

Its replies carry more than Rasa's own: the `links` to tap and the `kind` of an emergency reply
(addons/clinic_responses.py), on the last part of each reply, where the widget draws them.
"""
import os
from typing import Any, Dict, List, Text

from rasa.core.channels import socketio
from rasa.core.channels.channel import OutputChannel

from addons.clinic_responses import VOTED_ON
from channels.guard import GuardedChannel


def allowed_origins() -> List[Text]:
    return os.environ.get("CORS_ORIGINS", "").split()


def _origin_allowed(origin: Text, environ: Dict[Text, Any]) -> bool:
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    allowed = allowed_origins()
    return origin == own or origin in allowed or "*" in allowed


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
    def blueprint(self, on_new_message):  # type: ignore[no-untyped-def]
        blueprint = super().blueprint(on_new_message)
        self.sio.eio.cors_allowed_origins = _origin_allowed
        return blueprint

    def output_for(self, output: OutputChannel) -> OutputChannel:
        return WidgetOutput(self.sio, self.bot_message_evt) if self.sio else output

    def get_output_channel(self) -> OutputChannel:
        return self.output_for(super().get_output_channel())
