"""An edited answer goes live without a restart: `make train` rewrites the model file and the running server
loads it (channels/model_reload.py), answering with the old model meanwhile."""
import shutil
import subprocess
import time

import pytest

from clinic.paths import RASA, ROOT
from evaluation.stack import edited_domain, running_stack

OLD, NEW = "Chronic pain can greatly impair a person", "Chronic pain can greatly impair anyone"


@pytest.fixture(scope="module")
def stack(trained_model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("reload")
    served = workdir / "clinic.tar.gz"
    shutil.copy(trained_model, served)
    with running_stack(served, workdir, {}) as started:
        yield started


def answers_until(stack, text, timeout=60):
    """Asks for the chronic-pain answer until it contains `text`; every request must be answered meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = stack.say("/faq_chronic_pain", sender="staff-check")
        if text in replies[0]["text"]:
            return
        time.sleep(0.5)
    pytest.fail(f"still not answering with {text!r} after {timeout} s")


def test_an_edited_answer_is_served_after_training_without_a_restart(stack):
    domain = edited_domain(stack.workdir, OLD, NEW)
    subprocess.run([RASA, "train", "--domain", str(domain), "--out", str(stack.workdir), "--fixed-model-name", "edited"],
                   cwd=ROOT, check=True, capture_output=True)
    answers_until(stack, OLD)
    pid = stack.rasa.process.pid
    shutil.copy(stack.workdir / "edited.tar.gz", stack.workdir / "clinic.tar.gz")
    answers_until(stack, NEW)
    assert stack.rasa.process.pid == pid and stack.rasa.process.poll() is None


def test_a_broken_model_file_leaves_the_previous_model_answering(stack):
    served = stack.workdir / "clinic.tar.gz"
    served.write_bytes(b"not a model")
    deadline = time.monotonic() + 60
    while "could not be loaded" not in stack.rasa.log.read_text():
        assert time.monotonic() < deadline, stack.rasa.log.read_text()[-2000:]
        time.sleep(0.5)
    assert "serotonin" in stack.say("/faq_sleep", sender="after-broken-model")[0]["text"]
