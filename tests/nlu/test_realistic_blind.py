"""The frozen blind batches of realistic visitor messages (tests/nlu/blind_realistic_<batch>.yml,
evaluation/realistic.py).

Their lines must never be trained on. Each batch has floors: the rates last measured on it (README,
Realistic visitor messages), so no change may answer these independent messages worse; a floor is only ever
raised, except when training lines equal to a new batch's lines are removed, and the comment says so. The product targets (95% answered directly, none with a wrong topic, ...) are in the README's table.
"""
import pytest

from evaluation.heldout import ROOT, load_examples
from evaluation.realistic import BLIND_SETS, load, lines, score_sets, scoring_assistant
from evaluation.safety import normalise_line

# per frozen batch: the rates last measured (README, Realistic visitor messages), less a message or two of
# slack. Batch C is the fresh measure of this round. Batch A when it was frozen: 0.910, 0.947, 0.404, 0.931, 0.817, 5 wrong; batch B when it was frozen
# and scored once: 0.895, 0.953, 0.846, 0.966, 0.956, 4 wrong. Both were then read while fixing misses by
# their cause (follow-ups, shorthand, spelling), so they are regression gates now, not blind measures.
FLOORS = {
    "a": {"direct": 0.92, "one_click": 0.955, "followups": 0.87, "out_of_scope": 0.94, "personal": 0.88},
    "b": {"direct": 0.90, "one_click": 0.95, "followups": 0.88, "out_of_scope": 0.955, "personal": 0.94},
    # batch C, frozen and scored once after this round's changes: 0.911, 0.957, 0.745, 0.957, 0.936, 2 wrong
    "c": {"direct": 0.905, "one_click": 0.95, "followups": 0.73, "out_of_scope": 0.95, "personal": 0.92},
    # batch D, scored fresh on 2026-12-05 before this round's fixes: 0.833, 0.896, 0.754, 0.921, 0.850, 15 wrong;
    # then read while fixing by cause (request framing, lay words, follow-ups mistaken for other intents)
    "d": {"direct": 0.86, "one_click": 0.91, "followups": 0.78, "out_of_scope": 0.905, "personal": 0.87},
    # batch E, frozen and scored once after those fixes: 0.863, 0.949, 0.822, 0.937, 0.825, 4 wrong; its
    # out-of-scope floor went from 0.93 to 0.925 when the training data lost the lines batch F also has
    "e": {"direct": 0.855, "one_click": 0.945, "followups": 0.815, "out_of_scope": 0.925, "personal": 0.88},
    # batch F, frozen and scored once at the end of the round: the fresh measure now
    # (0.866, 0.949, 0.761, 0.937, 0.950, 5 wrong)
    "f": {"direct": 0.86, "one_click": 0.945, "followups": 0.755, "out_of_scope": 0.93, "personal": 0.945},
}
MAX_WRONG_TOPIC = {"a": 2, "b": 5, "c": 3, "d": 16, "e": 5, "f": 6}


@pytest.mark.parametrize("name", sorted(BLIND_SETS))
def test_each_batch_covers_every_kind_of_message(name):
    blind = load([BLIND_SETS[name]])
    assert len(blind["faq"]) >= 400 and len(blind["personal"]) >= 60
    assert len(blind["followups"]) >= 60 and len(blind["out_of_scope"]) >= 150


def test_every_batch_has_its_floors():
    assert set(FLOORS) == set(MAX_WRONG_TOPIC) == set(BLIND_SETS)


def test_no_blind_line_is_in_the_training_data():
    trained = {normalise_line(text) for path in (ROOT / "data" / "nlu").glob("*.yml") for text, _ in load_examples(path)}
    leaked = [line for line in lines(load()) if normalise_line(line) in trained]
    assert leaked == []


@pytest.fixture(scope="module")
def results(trained_model):
    with scoring_assistant(trained_model) as assistant:
        return score_sets(assistant)


@pytest.mark.parametrize("name,measure", [(n, m) for n in sorted(FLOORS) for m in sorted(FLOORS[n])])
def test_no_rate_falls_below_its_floor(results, name, measure):
    rate = getattr(results[name], measure)
    assert rate.rate >= FLOORS[name][measure], rate.misses


@pytest.mark.parametrize("name", sorted(MAX_WRONG_TOPIC))
def test_wrong_topic_answers_do_not_grow(results, name):
    result = results[name]
    assert result.wrong_topic.hits <= MAX_WRONG_TOPIC[name], [m for m in result.direct.misses if m[2].startswith("faq_")]
