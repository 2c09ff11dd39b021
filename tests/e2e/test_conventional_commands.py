"""The commands every Rasa user types work from the project root with nothing set in the environment:
`rasa data validate --fail-on-warnings`, `rasa train`, `rasa run actions` with `rasa run`, `rasa shell` and
`rasa test`. (The Makefile and scripts/rasa_run.sh only add settings from the environment.)

`rasa run` and `rasa shell` listen on Rasa's default port 5005 and the action server on 5055, as
endpoints.yml says: the test fails if something else holds them.
"""
import os
import pty
import re
import select
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator

import pytest
import requests

from clinic.paths import PYTHON, ROOT
from evaluation.stack import launch, stop, wait_until_up

RASA_PORT, ACTIONS_PORT = 5005, 5055
# utterances that no rule or story names, each said by code Rasa's validator does not read
SAID_BY_CODE = {
    "utter_default": "Rasa's own action_default_fallback",
    "utter_ask_rephrase": "actions/fallback.py",
    "utter_did_you_mean": "actions/fallback.py",
    "utter_ask_which_topic": "actions/context.py",
    "utter_nothing_more": "actions/context.py",
    "utter_profile_missing": "addons/clinic_responses.py",
    "utter_provider_pointer": "addons/clinic_responses.py",
}
# intents sent only by buttons, never typed: the votes under an answer
SENT_BY_BUTTONS = {"feedback": "web/public/clinic-chat.js"}


@pytest.fixture
def bare_env(tmp_path) -> Dict[str, str]:
    """No settings at all: the venv's commands on the PATH, and an empty home."""
    return {"PATH": os.pathsep.join([str(Path(PYTHON).parent), "/usr/bin", "/bin"]), "HOME": str(tmp_path),
            "LANG": "C.UTF-8"}


def rasa(arguments, env, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(["rasa", *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_rasa_data_validate_fails_on_warnings_and_warns_only_of_what_code_says(bare_env):
    done = rasa(["data", "validate", "--fail-on-warnings"], bare_env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    warnings = re.findall(r"UserWarning: (.*)", done.stdout + done.stderr)
    expected = {f"The utterance '{name}' is not used in any story or rule." for name in SAID_BY_CODE}
    expected |= {f"The intent '{name}' is listed in the domain file, but is not found in the NLU training data."
                 for name in SENT_BY_BUTTONS}
    assert set(warnings) <= expected
    for name, where in {**SAID_BY_CODE, **SENT_BY_BUTTONS}.items():
        if where.endswith((".py", ".js")):
            assert name in (ROOT / where).read_text(encoding="utf-8"), (name, where)


def test_rasa_train_reads_the_domain_folder(bare_env):
    # the model `make train` built is up to date for plain `rasa train`: same domain (domain.yml is a link to
    # domain/), config and data; without the domain it would have to train again (exit code > 0)
    done = rasa(["train", "--dry-run"], bare_env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "No training of components required" in done.stdout


def require_free(*ports: int) -> None:
    for port in ports:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                pytest.fail(f"port {port} is taken: `rasa run` and `rasa run actions` use Rasa's defaults")


@pytest.fixture
def action_server(bare_env, tmp_path) -> Iterator[None]:
    require_free(RASA_PORT, ACTIONS_PORT)
    log = tmp_path / "actions.log"
    process = launch(["rasa", "run", "actions"], log, cwd=ROOT, env=bare_env)
    try:
        wait_until_up(f"http://127.0.0.1:{ACTIONS_PORT}/health", process, log)
        yield
    finally:
        stop(process)


def test_rasa_run_answers_with_the_action_server_of_rasa_run_actions(action_server, bare_env, tmp_path):
    log = tmp_path / "rasa.log"
    process = launch(["rasa", "run"], log, cwd=ROOT, env=bare_env)
    try:
        wait_until_up(f"http://127.0.0.1:{RASA_PORT}/", process, log)
        sender = f"conventional-{uuid.uuid4().hex}"

        def say(message):
            reply = requests.post(f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook",
                                  json={"sender": sender, "message": message}, timeout=60)
            assert reply.status_code == 200, reply.text
            return " ".join(part.get("text") or "" for part in reply.json())

        answer = say("/faq_sleep")
        assert "serotonin" in answer and "Source: Benefits of Soft Tissue Massages" in answer
        # "tell me more" is a custom action: the action server at endpoints.yml's URL gives the article passage
        more = say("/ask_more")
        assert "seratonin" in more and "Source: Benefits of Soft Tissue Massages" in more
    finally:
        stop(process)


def test_rasa_shell_answers_in_the_terminal(bare_env):
    require_free(RASA_PORT)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(["rasa", "shell"], cwd=ROOT, env={**bare_env, "TERM": "dumb"}, stdin=terminal,
                               stdout=terminal, stderr=terminal)
    screen = b""

    def read_until(text: bytes, timeout: float) -> bool:
        nonlocal screen
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            if select.select([controller], [], [], 1)[0]:
                screen += os.read(controller, 65536)
                if text in screen:
                    return True
        return False

    try:
        assert read_until(b"Your input", 300), screen.decode(errors="replace")[-2000:]
        os.write(controller, b"/faq_sleep\r")
        assert read_until(b"Source: Benefits of Soft Tissue Massages", 60), screen.decode(errors="replace")[-2000:]
        assert b"serotonin" in screen
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            stop(process)
        os.close(controller)
        os.close(terminal)


def test_rasa_test_runs_the_conversation_tests(bare_env, tmp_path):
    done = rasa(["test", "--out", str(tmp_path)], bare_env, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # only this project's stories (tests/test_stories.yml), and none failed
    stories = re.findall(r"Evaluating (\d+) stories", done.stdout + done.stderr)
    ours = len(re.findall(r"^- story:", (ROOT / "tests" / "test_stories.yml").read_text(encoding="utf-8"), re.M))
    assert stories == [str(ours)], stories
    assert "None of the test stories failed" in (tmp_path / "failed_test_stories.yml").read_text(encoding="utf-8")
