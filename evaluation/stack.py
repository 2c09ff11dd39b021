"""Start the real action server and Rasa server on free loopback ports, and talk to them over HTTP.

Used by the end-to-end tests and by `make bench` (latency)."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[1]
RASA = str(ROOT / ".venv" / "bin" / "rasa")
STARTUP_TIMEOUT = 240  # TensorFlow start-up is slow on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not up after {STARTUP_TIMEOUT}s:\n{log.read_text()[-3000:]}")


def stop(process: Optional[subprocess.Popen]) -> None:
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Stack:
    rasa_url: str
    actions: subprocess.Popen
    rasa: Optional[subprocess.Popen]
    rasa_command: List[str]
    env: Dict[str, str]
    workdir: Path

    def say(self, message: str, sender: str = "e2e") -> List[Dict]:
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        assert reply.status_code == 200, reply.text
        return reply.json()

    def stop(self) -> None:
        stop(self.rasa)
        stop(self.actions)

    def start_rasa(self) -> None:
        log = self.workdir / "rasa.log"
        self.rasa = subprocess.Popen(
            self.rasa_command, cwd=ROOT, env=self.env, stdout=log.open("a"), stderr=subprocess.STDOUT
        )
        # "/" answers once the model is loaded (the HTTP API with /status is off by default)
        wait_until_up(f"{self.rasa_url}/", self.rasa, log)

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again on the same port (the action server keeps running)."""
        stop(self.rasa)
        self.start_rasa()


@dataclass
class ActionServer:
    process: subprocess.Popen
    health_url: str
    endpoints: Path  # an endpoints.yml pointing to this server, with an SQLite store beside it
    log: Path

    def wait(self) -> None:
        wait_until_up(self.health_url, self.process, self.log)


def start_action_server(workdir: Path, env: Dict[str, str]) -> ActionServer:
    """The action server on a free port (call `.wait()` before use)."""
    port = free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{workdir / "conversations.db"}"\n'
    )
    log = workdir / "actions.log"
    process = subprocess.Popen(
        [RASA, "run", "actions", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    return ActionServer(process, f"http://127.0.0.1:{port}/health", endpoints, log)


def start_stack(
    model: Path,
    workdir: Path,
    env: Dict[str, str],
    credentials: Path = ROOT / "credentials.yml",
    launcher: Optional[List[str]] = None,
) -> Stack:
    """Both servers; `launcher` replaces the `rasa` executable (e.g. to fake third-party APIs in tests)."""
    rasa_port = free_port()
    full_env = {**os.environ, **env}
    actions = start_action_server(workdir, full_env)
    rasa_command = [
        *(launcher or [RASA]), "run", "--model", str(model), "--port", str(rasa_port), "--interface", "127.0.0.1",
        "--endpoints", str(actions.endpoints), "--credentials", str(credentials),
    ]
    stack = Stack(f"http://127.0.0.1:{rasa_port}", actions.process, None, rasa_command, full_env, workdir)
    try:
        stack.start_rasa()
        actions.wait()
    except Exception:
        stack.stop()
        raise
    return stack
