"""Serves the website chat widget and the demo clinic page from the Rasa server itself, at /chat/.

Same origin as the Socket.IO channel, so a visitor's browser talks only to the clinic's server.
Registered in credentials.yml as `channels.web_widget.WebWidgetInput`; it receives no messages itself.
"""
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

PUBLIC_DIR = Path(__file__).resolve().parent.parent / "web" / "public"
# Only our own origin may be contacted by the page (scripts, styles, Socket.IO), and only it may show the
# page in a frame (clickjacking); browsers keep to HTTPS once they have reached the clinic over it (HSTS).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000",
}
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".map": "application/json"}


class WebWidgetInput(InputChannel):
    def __init__(self, public_dir: Optional[Text] = None) -> None:
        self.public_dir = Path(public_dir) if public_dir else PUBLIC_DIR

    @classmethod
    def name(cls) -> Text:
        return "chat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls((credentials or {}).get("public_dir"))

    def url_prefix(self) -> Text:
        return "/chat"

    def _file(self, relative: Text) -> Optional[Path]:
        root = self.public_dir.resolve()
        candidate = (root / relative).resolve()
        if root not in candidate.parents or not candidate.is_file() or candidate.suffix not in CONTENT_TYPES:
            return None
        return candidate

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        widget = Blueprint("clinic_chat_widget", __name__)

        # "/chat" without its slash: relative links (clinic-chat.js, the styles) need the folder's URL
        @widget.route("", methods=["GET", "HEAD"], strict_slashes=True)
        async def folder(request: Request) -> HTTPResponse:
            return response.redirect(request.path + "/", status=301)

        @widget.route("/", methods=["GET", "HEAD"], strict_slashes=True)
        async def page(request: Request) -> HTTPResponse:
            return await serve(request, "index.html")

        @widget.route("/<path:path>", methods=["GET", "HEAD"])
        async def serve(request: Request, path: Text) -> HTTPResponse:
            found = self._file(path or "index.html")
            if found is None:
                return response.json({"error": "not found"}, status=404)
            return response.raw(
                found.read_bytes(),
                content_type=CONTENT_TYPES[found.suffix],
                headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
            )

        return widget
