"""`make run` as a person uses it: a readable banner once the assistant answers, and a clean Ctrl-C."""
import os
import signal
import subprocess
import time

import requests

from clinic.paths import ROOT
from evaluation.stack import free_port


def test_make_run_shows_a_readable_banner_when_up_and_stops_cleanly_on_ctrl_c(trained_model, tmp_path):
    rasa_port, actions_port = free_port(), free_port()
    screen = tmp_path / "screen.txt"
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
           "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook", "CORS_ORIGINS": f"http://localhost:{rasa_port}"}
    # its own process group, as in a terminal, where Ctrl-C signals every process of the foreground job
    with screen.open("w") as out:
        run = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=env, stdout=out,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while "Ctrl-C stops it" not in screen.read_text() and run.poll() is None and time.monotonic() < deadline:
            time.sleep(1)
        shown = screen.read_text()
        assert f"http://localhost:{rasa_port}/chat/" in shown, shown[-3000:]
        # up when it says so: the banner comes after the server answers
        reply = requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                              json={"sender": "banner", "message": "Can massage help with sleep?"}, timeout=60)
        assert "serotonin" in reply.json()[0]["text"]
        # libraries' warnings are in the log, not on screen
        assert "Warning:" not in shown and "DeprecationWarning" in (ROOT / "var" / "log" / "run.log").read_text()
        os.killpg(run.pid, signal.SIGINT)
        run.wait(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    shown = screen.read_text()
    assert shown.rstrip().endswith("The clinic assistant has stopped."), shown[-2000:]
    assert "Traceback" not in shown and "Task was destroyed" not in shown and "Error" not in shown
