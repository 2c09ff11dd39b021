"""The learned layer's threshold comes from cross-validation on the training data, within its budget."""
from rasa.shared.nlu.training_data.loading import load_data

from addons.safety.classifier import RedFlagClassifier, mark_negation
from evaluation.heldout import ROOT


def test_threshold_is_chosen_by_cross_validation_within_the_false_alarm_budget():
    examples = load_data(str(ROOT / "data" / "nlu")).intent_examples
    classifier = RedFlagClassifier(max_false_alarm_rate=0.005).fit(
        [m.get("text") for m in examples], [m.get("intent") for m in examples]
    )
    result = classifier.cross_validation
    assert result.false_alarm_rate <= 0.005
    assert 0.05 <= classifier.threshold <= 1.0
    assert result.recall >= 0.8  # out-of-fold, on the training data's own red flags
    assert classifier.predict("hi there")[0] is None


def test_negated_words_are_other_features():
    assert mark_negation("no numbness , just a sore back") == "no not_numbness , just a sore back"
