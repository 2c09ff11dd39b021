"""Learned layer: a red-flag classifier for what no rule names ("I've been saying goodbye to everyone").

Logistic regression over word and character n-grams of the normalised text, trained on the NLU training
data: `emergency` and `self_harm` examples against every other example (near misses included). Its
threshold is chosen by stratified 5-fold cross-validation on that same training data: the lowest
threshold whose out-of-fold false-alarm rate stays within `max_false_alarm_rate`, which gives the most
recall the budget allows. Training and cross-validation take seconds, and are seeded.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Text, Tuple

import re

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from addons.safety.normalise import normalise

NONE = "none"
RED_FLAG_INTENTS = ("emergency", "self_harm")
SEED = 42


def _pipeline(regularisation: float) -> Pipeline:
    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"[\w']+")),
        ("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000, random_state=SEED)
    return Pipeline([("features", features), ("model", model)])


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
        results = [self._cross_validate(normalised, labels, c) for c in self.regularisations]
        self.cross_validation = max(results, key=lambda r: (r.recall, -r.false_alarm_rate))
        self.threshold = self.cross_validation.threshold
        self.pipeline = _pipeline(self.cross_validation.regularisation).fit(normalised, labels)
        return self

    def _cross_validate(self, texts: List[Text], labels: np.ndarray, regularisation: float) -> CrossValidation:
        scores = np.zeros(len(texts))
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
        for train, test in folds.split(texts, labels):
            pipeline = _pipeline(regularisation).fit([texts[i] for i in train], labels[train])
            scores[test] = self._red_flag_scores(pipeline, [texts[i] for i in test])
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
    def _red_flag_scores(pipeline: Pipeline, texts: List[Text]) -> np.ndarray:
        classes = list(pipeline.classes_)
        probabilities = pipeline.predict_proba(texts)
        return 1.0 - probabilities[:, classes.index(NONE)]

    def predict(self, text: Text) -> Tuple[Optional[Text], float]:
        """(intent, score): `emergency` or `self_harm` when the score reaches the threshold, else None."""
        if self.pipeline is None:
            return None, 0.0
        normalised = features_text(text)
        probabilities: Dict[Text, float] = dict(zip(self.pipeline.classes_, self.pipeline.predict_proba([normalised])[0]))
        score = 1.0 - probabilities.get(NONE, 0.0)
        if score < self.threshold:
            return None, score
        return max(RED_FLAG_INTENTS, key=lambda intent: probabilities.get(intent, 0.0)), score
