"""The server-wide limits (channels/server_limits.py) do not depend on the REST channel: with only the website
chat's channels in credentials.yml, the HTTP API still refuses a body that is too large or not JSON, and an
impossible Content-Length, with a 4xx at once."""
import socket

import pytest
import requests

from evaluation.stack import running_stack
from tests.conftest import STACK_ENV

WIDGET_ONLY = """
channels.socketio.SocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
channels.web_widget.WebWidgetInput:
"""
TOKEN = {"token": STACK_ENV["RASA_AUTH_TOKEN"]}


@pytest.fixture(scope="module")
def widget_only(trained_model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("widget-only")
    credentials = workdir / "credentials.yml"
    credentials.write_text(WIDGET_ONLY, encoding="utf-8")
    with running_stack(trained_model, workdir, STACK_ENV, credentials=credentials) as stack:
        assert requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={}, timeout=10).status_code == 404
        yield stack


def test_a_body_that_is_not_json_gets_a_400(widget_only):
    reply = requests.post(f"{widget_only.rasa_url}/model/parse", params=TOKEN, data=b"not json", timeout=10)
    assert reply.status_code == 400 and "not valid JSON" in reply.json()["message"]


def test_a_body_over_the_limit_gets_a_413(widget_only):
    reply = requests.post(f"{widget_only.rasa_url}/model/parse", params=TOKEN, json={"text": "a" * 70_000},
                          timeout=10)
    assert reply.status_code == 413


def test_an_impossible_content_length_is_refused_at_once(widget_only):
    host, port = widget_only.rasa_url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"POST /model/parse HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}")
        assert connection.recv(100).startswith(b"HTTP/1.1 400")
