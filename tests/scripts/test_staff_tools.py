"""Staff tools: batch questions, the test report, and the unanswered-questions report."""
import csv
import io
import json
import os
import re
import socket
import subprocess

import pytest
import requests
from PIL import Image

from clinic.paths import PYTHON, ROOT
from evaluation.stack import project_env, start_action_server


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    server = start_action_server(tmp_path_factory.mktemp("ask"), dict(os.environ))
    server.wait()
    yield server
    server.stop()


def ask(action_server, questions, fmt):
    done = subprocess.run(
        [PYTHON, "-m", "scripts.ask", "--format", fmt, "--action-server", action_server.url],
        input="\n".join(questions), capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "CLINIC_PHONE": "+1 555 0111"},  # the clinic's details are filled in by the staff tool's own Rasa
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_batch_questions_as_json(trained_model, action_server):
    rows = json.loads(ask(action_server, ["does massage help fibromyalgia?", "", "# a comment",
                                          "I'm pregnant, is a massage safe for me?"], "json"))
    assert [r["question"] for r in rows] == ["does massage help fibromyalgia?", "I'm pregnant, is a massage safe for me?"]
    faq, personal = rows
    assert faq["intent"] == "faq_fibromyalgia" and faq["topic"] == "fibromyalgia" and faq["sure"] > 0.5
    assert faq["outcome"] == "answered: Can massage help fibromyalgia?"
    assert personal["outcome"].startswith("sent to a provider")
    assert faq["answer"].startswith("Fibromyalgia is one of the conditions")
    assert faq["source"] == "Benefits of Soft Tissue Massages"
    assert personal["intent"] == "personal_question" and personal["topic"] == ""
    assert "midwife" in personal["answer"] and "+1 555 0111" in personal["answer"]


def test_batch_questions_as_csv(trained_model, action_server):
    rows = list(csv.DictReader(io.StringIO(ask(action_server, ["can massage help me sleep?"], "csv"))))
    assert rows[0]["topic"] == "sleep" and "serotonin" in rows[0]["answer"]


def test_batch_questions_in_plain_words_for_a_clinic_manager(trained_model, action_server):
    text = ask(action_server, ["what are your opening hours?", "my chest is crushing and my left arm is numb",
                               "massage?"], "text")
    hours, emergency, unsure = text.strip().split("\n\n")
    assert "What happened: answered from the clinic's profile: Opening hours" in hours
    assert "Monday to Friday, 8 am to 7 pm" in hours
    assert "What happened: EMERGENCY" in emergency
    assert "What happened: not sure: asked the visitor to choose" in unsure and "Choice 1: " in unsure
    assert "intent" not in text and "nlu_fallback" not in text and "confidence" not in text


def test_batch_without_questions_is_a_clear_error():
    done = subprocess.run([PYTHON, "-m", "scripts.ask"], input="\n\n", capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "no questions given" in done.stderr


def test_report_says_in_plain_words_what_questions_got_with_a_readable_chart(trained_model, domain):
    done = subprocess.run(["make", "report"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert re.search(r"\d+ of \d+ held-out FAQ questions got their answer; (\d+) of \1 conversation tests passed",
                     done.stdout), done.stdout[-2000:]
    assert "Failed stories written" not in done.stdout and "[debug" not in done.stdout + done.stderr
    report = ROOT / "results" / "report"
    page = (report / "index.html").read_text()
    assert "Why these numbers are higher than the README's" in page and "make bench" in page
    assert "answered with the right topic" in page and "Questions that did not get their answer" in page
    assert "all" in page and "conversation tests passed" in page
    # Rasa's matrices (one row per intent) are only linked; our chart has a bar of about 40 px per topic
    assert "intent_confusion_matrix.png" in page and "<img src='nlu/" not in page
    with Image.open(report / "topics.png") as chart:
        topics = sum(1 for response in domain["responses"] if response.startswith("utter_faq_"))
        assert chart.width >= 1200 and chart.height >= 38 * topics


def test_conversation_tests_print_one_line_of_result(trained_model, tmp_path):
    done = subprocess.run(["scripts/conversation_tests.sh"], capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={**project_env(), "STORIES_OUT": str(tmp_path)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert re.fullmatch(r"Conversation tests: (\d+) of \1 passed\n", done.stdout)


def test_training_checks_every_answer_against_its_article_first():
    # an edited answer that its article does not back stops `make train` before the model is built
    done = subprocess.run(["make", "-n", "-W", "domain/faq.yml", "models/clinic.tar.gz"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "tests/knowledge/test_grounding.py" in done.stdout
    assert done.stdout.index("tests/knowledge/test_grounding.py") < done.stdout.index("rasa train")


def chat_in_shell(action_server, lines):
    done = subprocess.run([PYTHON, "-m", "scripts.shell", "--action-server", action_server.url],
                          input="\n".join(lines) + "\n", capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.strip() == "Loading the assistant ...", done.stderr[-3000:]  # no libraries' warnings
    return done.stdout


def test_shell_prints_whole_answers_with_numbered_choices_and_a_number_chooses_one(action_server, domain):
    answer = domain["responses"]["utter_faq_sleep"][0]
    first = answer["buttons"][0]
    out = chat_in_shell(action_server, ["can massage help me sleep better?", "1"])
    words = " ".join(out.split())
    for paragraph in answer["text"].split("\n\n"):
        assert " ".join(paragraph.split()) in words  # whole, not cut to a line
    assert f"  1. {first['title']}\n" in out and f"(chose: {first['title']})" in out
    chosen = domain["responses"][f"utter_{first['payload'][1:]}"][0]["text"].split("\n\n")[0]
    assert " ".join(chosen.split()) in words
    assert max(len(line) for line in out.splitlines()) <= 100 and out.rstrip().endswith("Bye.")


def test_staff_tools_use_the_running_action_server_or_start_one_on_a_free_port(action_server):
    from scripts.staff_agent import action_server as session_action_server

    with session_action_server(action_server.port) as url:
        assert url == action_server.url  # `make run`'s, not a second one
    with socket.socket() as holder:  # the configured port is held by something else
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with session_action_server(port) as url:
            assert f":{port}/" not in url
            assert requests.get(url.replace("/webhook", "/health"), timeout=5).json() == {"status": "ok"}
