"""The widget embedded on the clinic's own website, another origin than the assistant's, in real Chromium:
over WebSocket, and over long-polling only (a network that blocks WebSockets)."""
import http.server
import threading
from functools import partial

import pytest

from evaluation.stack import free_port
from tests.web.test_widget import ask, open_chat

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clinic website</title></head>
<body><main><h1>Our clinic</h1></main>
<script src="{assistant}/chat/clinic-chat.js" defer data-transports="{transports}"></script></body></html>"""


@pytest.fixture(scope="module")
def site_port():
    return free_port()


@pytest.fixture(scope="module")
def assistant(stacks, site_port):
    return stacks({"CORS_ORIGINS": f"http://localhost:{site_port}"})


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_port, assistant):
    """The clinic's website at http://localhost:<port>, one page per transport setting."""
    folder = tmp_path_factory.mktemp("site")
    for transports in ("websocket", "polling"):
        (folder / f"{transports}.html").write_text(PAGE.format(assistant=assistant.rasa_url, transports=transports))
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{site_port}"
    server.shutdown()


@pytest.mark.parametrize("transports", ["websocket", "polling"])
def test_the_widget_on_another_origin_chats(site, context, transports):
    page = context.new_page()
    websockets, polls, refused = [], [], []
    page.on("websocket", lambda socket: websockets.append(socket.url))
    page.on("request", lambda request: polls.append(request.url) if "transport=polling" in request.url else None)
    page.on("console", lambda message: refused.append(message.text) if "CORS" in message.text else None)
    open_chat(page, f"{site}/{transports}.html")
    ask(page, "can massage help me sleep?")
    assert "serotonin" in page.locator(".cc-bot").last.inner_text()
    assert not refused, refused
    if transports == "polling":
        assert polls and not websockets
    else:
        assert websockets
