"""Learned layer: a red-flag classifier for what no rule names ("I've been saying goodbye to everyone").

Logistic regression over word and character n-grams of the normalised text, trained on the NLU training
data: `emergency` and `self_harm` examples against every other example (near misses included). Its
threshold is chosen by stratified 5-fold cross-validation on that same training data: the lowest
threshold whose out-of-fold false-alarm rate stays within `max_false_alarm_rate`, which gives the most
recall the budget allows. Training and cross-validation take seconds, and are seeded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Text, Tuple

import numpy as np
import scipy.sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.extmath import softmax

from addons.safety.normalise import normalise

NONE = "none"
RED_FLAG_INTENTS = ("emergency", "self_harm")
SEED = 42


def _features() -> FeatureUnion:
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"[\w']+")),
        ("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])


def _model(regularisation: float) -> LogisticRegression:
    # multinomial (what lbfgs does with three classes anyway): `probabilities` computes its softmax directly
    return LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000, random_state=SEED,
                              multi_class="multinomial")


_NEGATION = re.compile(r"^(no|not|n't|never|without|nothing|none|nor|didn't|doesn't|don't|isn't|wasn't|aren't|haven't|hasn't|can't|couldn't|won't)$")
_SCOPE_END = re.compile(r"^([.,;:!?]|but|however|although|though|yet|and|so)$")


def mark_negation(text: Text) -> Text:
    """"no numbness, just a sore back" -> "no not_numbness , just a sore back": a word after a negation is
    another feature than the same word asserted (Das & Chen's negation marking), up to the next punctuation
    or conjunction. The red-flag phrases of the rules are not affected; this is only for the classifier."""
    marked, negated = [], False
    for token in re.findall(r"[\w']+|[^\w\s]", text):
        if _SCOPE_END.match(token):
            negated = False
            marked.append(token)
        elif _NEGATION.match(token) or token.endswith("n't"):
            negated = True
            marked.append(token)
        else:
            marked.append(f"not_{token}" if negated else token)
    return " ".join(marked)


def features_text(text: Text) -> Text:
    return mark_negation(normalise(text))


def label_of(intent: Optional[Text]) -> Text:
    return intent if intent in RED_FLAG_INTENTS else NONE


@dataclass
class CrossValidation:
    regularisation: float
    threshold: float
    recall: float
    false_alarm_rate: float


class RedFlagClassifier:
    def __init__(self, max_false_alarm_rate: float = 0.002, regularisations: Sequence[float] = (1.0, 4.0, 16.0)):
        self.max_false_alarm_rate = max_false_alarm_rate
        self.regularisations = tuple(regularisations)
        self.pipeline: Optional[Pipeline] = None
        self.threshold = 1.0
        self.cross_validation: Optional[CrossValidation] = None

    def fit(self, texts: Sequence[Text], intents: Sequence[Optional[Text]]) -> RedFlagClassifier:
        normalised = [features_text(t) for t in texts]
        labels = np.array([label_of(i) for i in intents])
        results = self._cross_validate(normalised, labels)
        self.cross_validation = max(results, key=lambda r: (r.recall, -r.false_alarm_rate))
        self.threshold = self.cross_validation.threshold
        self.pipeline = Pipeline([("features", _features()), ("model", _model(self.cross_validation.regularisation))])
        self.pipeline.fit(normalised, labels)
        return self

    def _cross_validate(self, texts: List[Text], labels: np.ndarray) -> List[CrossValidation]:
        """Out-of-fold scores for every regularisation; each fold's features are computed once."""
        scores = {c: np.zeros(len(texts)) for c in self.regularisations}
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        for train, test in folds.split(texts, labels):
            features = _features()
            train_matrix = features.fit_transform([texts[i] for i in train])
            test_matrix = features.transform([texts[i] for i in test])
            for regularisation in self.regularisations:
                model = _model(regularisation).fit(train_matrix, labels[train])
                scores[regularisation][test] = self._red_flag_scores(model, test_matrix)
        return [self._threshold_for(c, scores[c], labels) for c in self.regularisations]

    def _threshold_for(self, regularisation: float, scores: np.ndarray, labels: np.ndarray) -> CrossValidation:
        positive = labels != NONE
        negatives = np.sort(scores[~positive])[::-1]
        # the lowest threshold that lets at most max_false_alarm_rate of the negatives through
        allowed = int(np.floor(self.max_false_alarm_rate * len(negatives)))
        threshold = float(negatives[allowed]) + 1e-6 if allowed < len(negatives) else 0.0
        threshold = max(threshold, 0.05)
        return CrossValidation(
            regularisation=regularisation,
            threshold=threshold,
            recall=float(np.mean(scores[positive] >= threshold)),
            false_alarm_rate=float(np.mean(scores[~positive] >= threshold)),
        )

    @staticmethod
    def _red_flag_scores(model, inputs) -> np.ndarray:
        """1 - P(none), from a fitted model (or pipeline) and what it takes (features or texts)."""
        classes = list(model.classes_)
        probabilities = model.predict_proba(inputs)
        return 1.0 - probabilities[:, classes.index(NONE)]

    def probabilities(self, text: Text) -> Dict[Text, float]:
        """The fitted pipeline's predict_proba for one message, computed directly: sklearn's own path
        (feature union, input checks) costs more than the arithmetic, on every message."""
        assert self.pipeline is not None, "not trained"
        features, model = self.pipeline.named_steps["features"], self.pipeline.named_steps["model"]
        normalised = [features_text(text)]
        matrix = scipy.sparse.hstack([vectorizer.transform(normalised) for _, vectorizer in features.transformer_list])
        scores = np.asarray(matrix @ model.coef_.T) + model.intercept_
        return dict(zip(model.classes_, softmax(scores)[0], strict=True))

    def predict(self, text: Text) -> Tuple[Optional[Text], float]:
        """(intent, score): `emergency` or `self_harm` when the score reaches the threshold, else None."""
        if self.pipeline is None:
            return None, 0.0
        probabilities = self.probabilities(text)
        score = 1.0 - probabilities.get(NONE, 0.0)
        if score < self.threshold:
            return None, score
        return max(RED_FLAG_INTENTS, key=lambda intent: probabilities.get(intent, 0.0)), score
