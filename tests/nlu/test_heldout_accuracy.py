"""Accuracy gate on the held-out phrasings in tests/nlu_heldout.yml (never trained on)."""
import pytest

from clinic.paths import ROOT
from evaluation.heldout import load_examples, plain_text, rasa_predictor, score
from evaluation.safety import normalise_line

MIN_ACCURACY = 0.95
MIN_OUT_OF_SCOPE_REJECTION = 0.95


def test_heldout_set_is_not_in_the_training_data():
    """Not even apart from case, punctuation and spacing."""
    trained = {normalise_line(t) for path in (ROOT / "data" / "nlu").glob("*.yml") for t, _ in load_examples(path)}
    leaked = [t for t, _ in load_examples() if normalise_line(plain_text(t)) and normalise_line(plain_text(t)) in trained]
    assert leaked == []


@pytest.fixture(scope="module")
def result(trained_model):
    return score(rasa_predictor(trained_model))


def test_answer_accuracy(result):
    assert result.accuracy >= MIN_ACCURACY, result.errors


def test_out_of_scope_is_rejected(result):
    assert result.rejection >= MIN_OUT_OF_SCOPE_REJECTION, [e for e in result.errors if e[1] == "out_of_scope"]


def test_every_red_flag_is_routed_to_emergency(result):
    assert result.emergencies > 0
    assert result.emergency_recall == 1.0, [e for e in result.errors if e[1] == "emergency"]
