"""Staff tools: batch questions, the test report, and the unanswered-questions report."""
import csv
import io
import json
import os
import subprocess

import pytest

from evaluation.heldout import ROOT
from evaluation.stack import start_action_server

PYTHON = str(ROOT / ".venv" / "bin" / "python")


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    server = start_action_server(tmp_path_factory.mktemp("ask"), {**os.environ, "CLINIC_PHONE": "+1 555 0111"})
    server.wait()
    yield server
    server.stop()


def ask(action_server, questions, fmt):
    done = subprocess.run(
        [PYTHON, "scripts/ask.py", "--format", fmt, "--action-server", action_server.url],
        input="\n".join(questions), capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_batch_questions_as_json(trained_model, action_server):
    rows = json.loads(ask(action_server, ["does massage help fibromyalgia?", "", "# a comment",
                                          "I'm pregnant, is a massage safe for me?"], "json"))
    assert [r["question"] for r in rows] == ["does massage help fibromyalgia?", "I'm pregnant, is a massage safe for me?"]
    faq, personal = rows
    assert faq["intent"] == "faq_fibromyalgia" and faq["topic"] == "fibromyalgia" and faq["confidence"] > 0.5
    assert faq["answer"].startswith("Fibromyalgia is one of the conditions")
    assert faq["source"] == "Benefits of Soft Tissue Massages"
    assert personal["intent"] == "personal_question" and personal["topic"] == ""
    assert "midwife" in personal["answer"] and "+1 555 0111" in personal["answer"]


def test_batch_questions_as_csv(trained_model, action_server):
    rows = list(csv.DictReader(io.StringIO(ask(action_server, ["can massage help me sleep?"], "csv"))))
    assert rows[0]["topic"] == "sleep" and "serotonin" in rows[0]["answer"]


def test_batch_without_questions_is_a_clear_error():
    done = subprocess.run([PYTHON, "scripts/ask.py"], input="\n\n", capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "no questions given" in done.stderr


def test_report_has_matrices_histograms_and_misclassified_phrasings(trained_model):
    done = subprocess.run(["make", "report"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    page = (ROOT / "results" / "report" / "index.html").read_text()
    for image in ["intent_confusion_matrix.png", "intent_histogram.png"]:
        assert image in page and (ROOT / "results" / "report" / "nlu" / image).exists()
    assert "Misclassified intents" in page and "Misclassified FAQ topics" in page
    assert "Intents: accuracy" in page and "FAQ topics: accuracy" in page
