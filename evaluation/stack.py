"""Start the real action server and Rasa server(s) on free loopback ports, and talk to them over HTTP.

Rasa is started through scripts/rasa_run.sh, exactly as `make run` starts it. Used by the end-to-end tests
and by the benchmarks.
"""
from __future__ import annotations

import contextlib
import os
import random
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import requests

from clinic.paths import DOMAIN, PYTHON, RASA, ROOT

RASA_RUN = str(ROOT / "scripts" / "rasa_run.sh")
STARTUP_TIMEOUT = 300  # TensorFlow start-up is slow on a busy 2-core machine, more so with several workers


def edited_domain(workdir: Path, old: str, new: str) -> Path:
    """A copy of the domain/ folder in `workdir` whose first `old` is replaced by `new` (to train an edited
    answer without touching the project's files)."""
    copy = workdir / "domain"
    copy.mkdir()
    edited = False
    for source in sorted(DOMAIN.glob("*.yml")):
        text = source.read_text(encoding="utf-8")
        if not edited and old in text:
            text, edited = text.replace(old, new, 1), True
        (copy / source.name).write_text(text, encoding="utf-8")
    assert edited, f"{old!r} is in no domain file"
    return copy


def project_env() -> Dict[str, str]:
    """This environment, with the `python` and `rasa` beside this one (the project's venv) first on the PATH,
    as the Makefile sets it for the scripts."""
    return {**os.environ, "PATH": os.pathsep.join([str(Path(PYTHON).parent), os.environ.get("PATH", "")])}


def free_port() -> int:
    """A free port below the kernel's range for outgoing connections (32768-60999): a port the kernel hands
    out (bind to 0) can be taken by a client connection before the server binds it."""
    while True:
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port


def launch(command: List[str], log: Path, **options: Any) -> subprocess.Popen:
    """A server process whose output goes to the end of `log`."""
    with log.open("a") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **options)


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} not up after {timeout}s:\n{log.read_text()[-3000:]}")


def stop(process: Optional[subprocess.Popen]) -> None:
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class RasaServer:
    """One `rasa run` (one replica) on a fixed port; restartable."""

    port: int
    env: Dict[str, str]
    log: Path
    extra_args: List[str] = field(default_factory=list)
    process: Optional[subprocess.Popen] = None
    cold_start_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        started = time.monotonic()
        self.process = launch([RASA_RUN, "--interface", "127.0.0.1", *self.extra_args], self.log, cwd=ROOT, env=self.env)
        # "/" answers once the model is loaded (it needs no token, unlike /status)
        wait_until_up(f"{self.url}/", self.process, self.log)
        self.cold_start_seconds = time.monotonic() - started

    @property
    def pid(self) -> int:
        assert self.process, "not started"
        return self.process.pid

    def stop(self) -> None:
        stop(self.process)

    def restart(self) -> None:
        self.stop()
        self.start()

    def say(self, message: str, sender: str = "e2e") -> List[Dict]:
        reply = requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        assert reply.status_code == 200, reply.text
        return reply.json()

    def tracker(self, sender: str) -> Dict:
        """The whole conversation, through the HTTP API (needs RASA_AUTH_TOKEN in env)."""
        reply = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.env["RASA_AUTH_TOKEN"], "include_events": "ALL"}, timeout=30,
        )
        assert reply.status_code == 200, reply.text
        return reply.json()


@dataclass
class ActionServer:
    """`rasa run actions` on a fixed port; restartable (tests stop it to check what visitors get meanwhile)."""

    port: int
    env: Dict[str, str]
    log: Path
    process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        """The webhook Rasa calls."""
        return f"http://127.0.0.1:{self.port}/webhook"

    def launch(self) -> None:
        self.process = launch([RASA, "run", "actions", "--port", str(self.port)], self.log, cwd=ROOT,
                              env={"SANIC_HOST": self.env.get("ACTIONS_HOST", "127.0.0.1"), **self.env})

    def wait(self) -> None:
        assert self.process, "not launched"
        wait_until_up(self.url.replace("/webhook", "/health"), self.process, self.log)

    def stop(self) -> None:
        stop(self.process)

    def start(self) -> None:
        self.launch()
        self.wait()


def start_action_server(workdir: Path, env: Dict[str, str]) -> ActionServer:
    """The action server on a free port, launched (call `.wait()` before use)."""
    server = ActionServer(free_port(), env, workdir / "actions.log")
    server.launch()
    return server


@dataclass
class Stack:
    """An action server and one or more Rasa replicas sharing its settings."""

    actions: ActionServer
    replicas: List[RasaServer]
    workdir: Path

    @property
    def rasa(self) -> RasaServer:
        return self.replicas[0]

    @property
    def rasa_url(self) -> str:
        return self.rasa.url

    def say(self, message: str, sender: str = "e2e") -> List[Dict]:
        return self.rasa.say(message, sender)

    def restart_rasa(self) -> None:
        """Stop the (first) Rasa server and start it again on the same port; the action server keeps running."""
        self.rasa.restart()

    def stop(self) -> None:
        for replica in self.replicas:
            replica.stop()
        self.actions.stop()


def start_stack(
    model: Path,
    workdir: Path,
    env: Dict[str, str],
    credentials: Path = ROOT / "credentials.yml",
    launcher: Optional[List[str]] = None,
    replicas: int = 1,
) -> Stack:
    """Both servers. `env` adds settings (clinic details, DATABASE_URL, REDIS_URL, SANIC_WORKERS, ...); the
    conversations go to an SQLite file in `workdir` unless it sets DATABASE_URL. `launcher` replaces the
    `rasa` executable (e.g. to fake third-party APIs in tests). Replicas start one after the other."""
    full_env = {
        **project_env(),
        "DATABASE_URL": f"sqlite:///{workdir / 'conversations.db'}",
        "CORS_ORIGINS": "http://localhost:8080",
        "MODEL": str(model),
        "CREDENTIALS": str(credentials),
        **env,
    }
    actions = start_action_server(workdir, full_env)
    full_env["ACTION_SERVER_URL"] = actions.url
    if launcher:
        full_env["RASA"] = " ".join(launcher)
    servers = []
    for index in range(replicas):
        port = free_port()
        servers.append(RasaServer(port, {**full_env, "RASA_PORT": str(port)}, workdir / f"rasa-{index}.log"))
    stack = Stack(actions, servers, workdir)
    try:
        for server in servers:
            server.start()
        actions.wait()
    except Exception:
        stack.stop()
        raise
    return stack


@contextlib.contextmanager
def running_stack(*args, **kwargs) -> Iterator[Stack]:
    """`start_stack` for a `with` block or a pytest fixture: stopped however the block ends."""
    stack = start_stack(*args, **kwargs)
    try:
        yield stack
    finally:
        stack.stop()
