"""The frozen blind set of realistic visitor messages (tests/nlu/blind_realistic_*.yml, evaluation/realistic.py).

Its lines must never be trained on. The floors are the rates measured when the set was frozen (README,
Benchmark): no change may answer these independent messages worse. The product targets (95% answered
directly, none with a wrong topic, ...) are in the README's table.
"""
import pytest

from evaluation.heldout import ROOT, load_examples
from evaluation.realistic import load, lines, score, scoring_assistant
from evaluation.safety import normalise_line

# measured: 0.910, 0.947, 0.404, 0.931, 0.817 (the floors leave a message or two of slack)
FLOORS = {"direct": 0.90, "one_click": 0.94, "followups": 0.38, "out_of_scope": 0.92, "personal": 0.80}
MAX_WRONG_TOPIC = 5


def test_the_set_covers_every_kind_of_message():
    blind = load()
    assert len(blind["faq"]) >= 400 and len(blind["personal"]) >= 60
    assert len(blind["followups"]) >= 60 and len(blind["out_of_scope"]) >= 150


def test_no_blind_line_is_in_the_training_data():
    trained = {normalise_line(text) for path in (ROOT / "data" / "nlu").glob("*.yml") for text, _ in load_examples(path)}
    leaked = [line for line in lines(load()) if normalise_line(line) in trained]
    assert leaked == []


@pytest.fixture(scope="module")
def result(trained_model):
    with scoring_assistant(trained_model) as assistant:
        return score(assistant, load())


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_no_rate_falls_below_what_was_measured_when_the_set_was_frozen(result, measure):
    rate = getattr(result, measure)
    assert rate.rate >= FLOORS[measure], rate.misses


def test_wrong_topic_answers_do_not_grow(result):
    assert result.wrong_topic.hits <= MAX_WRONG_TOPIC, [m for m in result.direct.misses if m[2].startswith("faq_")]
