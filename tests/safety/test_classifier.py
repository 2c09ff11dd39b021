"""The learned layer's threshold comes from cross-validation on the training data, within its budget."""
import numpy as np
import pytest
from rasa.shared.nlu.training_data.loading import load_data

from addons.safety.classifier import RedFlagClassifier, features_text, mark_negation
from clinic.paths import ROOT


@pytest.fixture(scope="module")
def classifier():
    examples = load_data(str(ROOT / "data" / "nlu")).intent_examples
    return RedFlagClassifier(max_false_alarm_rate=0.005).fit(
        [m.get("text") for m in examples], [m.get("intent") for m in examples]
    )


def test_threshold_is_chosen_by_cross_validation_within_the_false_alarm_budget(classifier):
    result = classifier.cross_validation
    assert result.false_alarm_rate <= 0.005
    assert 0.05 <= classifier.threshold <= 1.0
    assert result.recall >= 0.8  # out-of-fold, on the training data's own red flags
    assert classifier.predict("hi there")[0] is None


def test_negated_words_are_other_features():
    assert mark_negation("no numbness , just a sore back") == "no not_numbness , just a sore back"


@pytest.mark.parametrize("text", ["hi there", "I can't feel my left arm and my face is drooping",
                                  "I've been giving my things away and saying goodbye", "does massage help sleep?"])
def test_the_direct_probabilities_equal_sklearns(classifier, text):
    expected = classifier.pipeline.predict_proba([features_text(text)])[0]
    got = classifier.probabilities(text)
    assert np.allclose([got[label] for label in classifier.pipeline.classes_], expected)
