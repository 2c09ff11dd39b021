"""What a fresh `make run` exposes, as a careless operator would leave it: no more than it needs."""
from pathlib import Path

import requests

from tests.conftest import DEFAULTS, STACK_ENV


def listening_addresses(port):
    """Local addresses with a socket listening on `port` (from /proc/net/tcp and tcp6)."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                addresses.add(address)
    return addresses


def test_the_action_server_listens_on_loopback_only(stack):
    # it has no authentication: anyone who reaches it could run the clinic's actions with made-up conversations
    assert listening_addresses(stack.actions.port) == {"0100007F"}  # 127.0.0.1


def test_the_api_token_is_not_on_the_command_line(stack):
    # /proc/<pid>/cmdline is readable by every user of the machine (ps shows it)
    command_line = Path(f"/proc/{stack.rasa.process.pid}/cmdline").read_bytes().decode()
    assert STACK_ENV["RASA_AUTH_TOKEN"] not in command_line and "--auth-token" not in command_line
    tracker = requests.get(f"{stack.rasa_url}/conversations/anyone/tracker",
                           params={"token": STACK_ENV["RASA_AUTH_TOKEN"]}, timeout=10)
    assert tracker.status_code == 200  # and yet the API takes the token
    assert requests.get(f"{stack.rasa_url}/conversations/anyone/tracker", timeout=10).status_code == 401


def test_the_callback_channel_is_off_unless_its_url_is_set(stacks):
    fresh = stacks(DEFAULTS)
    reply = requests.post(f"{fresh.rasa_url}/webhooks/callback/webhook", json={"sender": "a", "message": "hi"}, timeout=10)
    assert reply.status_code == 404 and "CALLBACK_URL" in reply.json()["message"]
