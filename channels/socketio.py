"""Rasa's Socket.IO channel (the website widget), accepting connections only from allowed web origins.

Rasa 3.6 turns python-socketio's origin check off, so any website could open a WebSocket to the bot
(browsers apply CORS to HTTP requests, not to WebSockets). This channel allows the server's own origin
(the widget served at /chat/) and the origins in CORS_ORIGINS, the same list `rasa run --cors` uses.
Registered in credentials.yml as `channels.socketio.SocketIOInput` (same URL and events as `socketio`).
"""
import os
from typing import Any, Dict, List, Text

from rasa.core.channels import socketio

from channels.guard import GuardedChannel


def allowed_origins() -> List[Text]:
    return os.environ.get("CORS_ORIGINS", "").split()


def _origin_allowed(origin: Text, environ: Dict[Text, Any]) -> bool:
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    allowed = allowed_origins()
    return origin == own or origin in allowed or "*" in allowed


class SocketIOInput(GuardedChannel, socketio.SocketIOInput):
    def blueprint(self, on_new_message):  # type: ignore[no-untyped-def]
        blueprint = super().blueprint(on_new_message)
        self.sio.eio.cors_allowed_origins = _origin_allowed
        return blueprint
