"""A Socket.IO client that talks to the assistant as the website widget does: it asks for a session, sends
messages and collects every event back. Used by the Socket.IO tests and the soak benchmark.

Over long-polling: this python-engineio's WebSocket client needs a newer aiohttp than Rasa 3.6 allows (the
widget's own tests in Chromium use WebSockets).
"""
import asyncio
import time
from typing import Any, Callable, Dict, List, Optional, Text, Tuple

import socketio

# what each event the server sends back means for the message just sent
OUTCOMES = {"bot_uttered": "answered", "unavailable": "refused", "invalid_message": "invalid"}


class WidgetClient:
    def __init__(self, url: Text) -> None:
        self.url, self.client = url, socketio.AsyncClient(reconnection=False)
        self.events: List[Tuple[Text, Any]] = []
        self.session: Optional[Dict[Text, Text]] = None
        self.client.on("session_confirm", self._confirmed)
        for name in OUTCOMES:
            self.client.on(name, lambda data, name=name: self.events.append((name, data)))

    def _confirmed(self, session: Dict[Text, Text]) -> None:
        self.session = session

    def _of(self, name: Text) -> List[Any]:
        return [data for event, data in self.events if event == name]

    @property
    def replies(self) -> List[Dict[Text, Any]]:
        return self._of("bot_uttered")

    @property
    def problems(self) -> List[Text]:
        return [data["message"] for data in self._of("invalid_message")]

    @property
    def unavailable(self) -> List[Text]:
        return [data["message"] for data in self._of("unavailable")]

    async def join(self, session: Optional[Dict[Text, Text]] = None) -> Dict[Text, Text]:
        """Connects and asks for `session` (a session id and its token), or a new one; returns the one given."""
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=10)
        await self.client.emit("session_request", session or {})
        await self.until(lambda: self.session)
        return self.session  # type: ignore[return-value]

    async def until(self, condition: Callable[[], Any], seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise asyncio.TimeoutError("no answer from the server")
            await asyncio.sleep(0.05)

    async def ask(self, payload: Any, seconds: float = 60) -> Text:
        """Sends a message; returns what came of it ("answered", "refused", "invalid") once every part of the
        reply is in (no event for half a second), so that no part is taken for the next message's."""
        count = len(self.events)
        await self.client.emit("user_uttered", payload)
        await self.until(lambda: len(self.events) > count, seconds)
        while True:
            seen = len(self.events)
            await asyncio.sleep(0.5)
            if len(self.events) == seen:
                return OUTCOMES[self.events[count][0]]

    async def leave(self) -> None:
        await self.client.disconnect()
