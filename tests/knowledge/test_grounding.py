"""Every FAQ answer is built from the clinic's articles, sentence by sentence.

Each `utter_faq_<topic>` response names its articles (`metadata.sources`, keys of knowledge/sources.yml) and,
for each sentence of its text in order, the sentence(s) of those articles it was written from
(`metadata.passages`: a string, a list of strings, or null for a sentence saying the articles are silent).
An answer sentence is supported by its own passage when
  - most of its content lemmas (spaCy, the project's pipeline) are in the passage's, and
  - no direction word contradicts the passage: what the passage says goes up (increase, raise, cause ...),
    goes down (reduce, lower, relieve, prevent ...), gets better (improve, help, promote ...) or worse
    (worsen, harm, impair ...) is not said to move the other way, and nothing the passage affirms is negated
    ("not", "no", "never", "without") nor the other way round.
Checking against the passage rather than the whole article is what catches a reversed claim: "massage increases
inflammation and blood pressure" uses only words of the articles, so the old whole-article check passed it.
"""
import re
from functools import lru_cache
from typing import Dict, FrozenSet, List, NamedTuple, Sequence, Set, Tuple

import pytest
import spacy
import yaml
from rasa.shared.core.domain import Domain

from clinic.knowledge import sources
from clinic.paths import DOMAIN, KNOWLEDGE, ROOT, SPACY_MODEL
from evaluation.heldout import load_examples

# --- the articles and the answers, sentence by sentence ---------------------------------------------------

def normalised(text: str) -> str:
    """str with every run of whitespace made one space, as passages are compared."""
    return " ".join(text.split())


@lru_cache(maxsize=None)
def article_text(key: str) -> str:
    """The whole article, whitespace normalised: a passage an answer cites is a substring of it."""
    return normalised((KNOWLEDGE / sources()[key]["file"]).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def article_sentences(key: str) -> Tuple[str, ...]:
    """The article's sentences (each line split where a sentence ends), its titles and headings included."""
    lines = (KNOWLEDGE / sources()[key]["file"]).read_text(encoding="utf-8").splitlines()
    return tuple(s for line in lines for s in sentences(line))


def sentences(text: str) -> List[str]:
    """A text (an FAQ answer, a paragraph) split into its sentences."""
    return [s for s in (normalised(part) for part in re.split(r"(?<=[.!?])\s+", text)) if s]


def sentence_passages(metadata: dict) -> List[List[str]]:
    """An FAQ answer's `passages` (metadata): for each sentence of the answer, the sentences of its articles it
    was written from, as a list (one string becomes a list of one; none, for a sentence saying the articles are
    silent, an empty list)."""
    entries = metadata.get("passages") or []
    return [[] if entry is None else [entry] if isinstance(entry, str) else list(entry) for entry in entries]

FAQ_PREFIX = "utter_faq_"
# a sentence that says the articles are silent is not a claim, it sends the user to a provider: it has no passage
SILENCE = re.compile(r"^Our articles do not say more about\b")
MIN_SUPPORTED_SHARE = 0.8
# words that frame a claim rather than make one
FRAMING = {"article", "articles", "our", "one", "also", "therefore", "physically", "mentally", "condition"}
# Direction words (lemmas, or the word itself for comparatives), by what they say happens to what follows them.
UP, DOWN, BETTER, WORSE = "up", "down", "better", "worse"
DIRECTIONS = {
    UP: {"increase", "raise", "boost", "elevate", "heighten", "intensify", "cause", "induce", "trigger",
         "more", "higher", "greater"},
    DOWN: {"decrease", "reduce", "lower", "low", "lessen", "diminish", "drop", "cut", "relieve", "ease", "alleviate",
           "soothe", "remove", "eliminate", "prevent", "avoid", "stop", "less", "fewer"},
    BETTER: {"improve", "help", "aid", "benefit", "promote", "support", "enhance", "strengthen", "restore"},
    WORSE: {"worsen", "worse", "harm", "hurt", "damage", "impair", "aggravate", "exacerbate", "hinder", "injure",
            "weaken"},
}
DIRECTION_OF = {word: direction for direction, words in DIRECTIONS.items() for word in words}
# these say how much of the next word only ("more comprehensive pain management", "less tension")
NEXT_WORD_ONLY = {"more", "less", "fewer"}
# "improves blood flow" agrees with "increases blood flow"; every other pair of different directions disagrees
# ("reduces blood flow" with "improved blood flow", "worsens inflammation" with "lowers inflammation")
AGREE = {(d, d) for d in DIRECTIONS} | {(UP, BETTER), (BETTER, UP)}
NEGATED = {UP: DOWN, DOWN: UP, BETTER: WORSE, WORSE: BETTER}
NEGATIONS = {"not", "no", "never", "n't", "without", "nor", "neither", "cannot"}
# where a direction word or a negation stops applying: punctuation and these words
CLAUSE_ENDS = {"which", "that", "who", "whom", "whose", "whereas", "while", "but", "because", "although", "though",
               "so", "thus", "where", "when", "if", "unless", "since", "yet"}
MIN_STEM = 5  # "treat" matches "treatment", "relief" matches "relieve"


# --- the domain and the articles ------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def load_domain() -> Dict:
    """The domain folder as the action server receives it (responses included)."""
    return Domain.load(str(DOMAIN)).as_dict()


def faq_responses() -> Dict[str, Dict]:
    return {k[len(FAQ_PREFIX):]: v[0] for k, v in load_domain()["responses"].items() if k.startswith(FAQ_PREFIX)}


TOPICS = sorted(faq_responses())


def answer(topic: str) -> Tuple[List[str], List[List[str]], List[str]]:
    """The answer's sentences, the passages of each (as lists), and its articles."""
    response = faq_responses()[topic]
    metadata = response.get("metadata") or {}
    return sentences(response["text"]), sentence_passages(metadata), list(metadata.get("sources") or [])


# --- what a sentence says -------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def nlp():
    assert SPACY_MODEL.exists(), "spaCy pipeline missing: `make test` builds it"
    return spacy.load(SPACY_MODEL)


def is_content(token) -> bool:
    return token.is_alpha and not token.is_stop and len(token) > 2 and token.lower_ not in FRAMING


class Reading(NamedTuple):
    lemmas: Tuple[str, ...]                        # content lemmas, in order
    directions: Dict[str, FrozenSet[str]]          # content lemma -> the directions said of it
    negated: FrozenSet[str]                        # content lemmas under a negation
    affirmed: FrozenSet[str]                       # content lemmas not under one


@lru_cache(maxsize=None)
def read(text: str) -> Reading:
    """A sentence's content lemmas, and what is said of them: a direction word applies to the content words that
    follow it up to the end of its clause or the next direction word ("more", "less": the next content word only;
    the pipeline has no parser, so a clause is what lies between punctuation and words such as "which", "but");
    a negation flips the directions after it and negates the content words after it, up to the end of its clause
    ("not only" is no negation)."""
    doc = nlp()(text.replace("-", " ").lower())
    lemmas: List[str] = []
    directions: Dict[str, Set[str]] = {}
    negated: Set[str] = set()
    affirmed: Set[str] = set()
    direction, next_word_only, negation = None, False, False
    for i, token in enumerate(doc):
        word, lemma = token.lower_, token.lemma_.lower()
        if token.is_punct or word in CLAUSE_ENDS:
            direction, negation = None, False
            continue
        if word in NEGATIONS and not (word == "not" and i + 1 < len(doc) and doc[i + 1].lower_ == "only"):
            direction, negation = None, True
            continue
        said = DIRECTION_OF.get(word) or DIRECTION_OF.get(lemma)
        if said:
            direction, next_word_only = (NEGATED[said] if negation else said), word in NEXT_WORD_ONLY
        if not is_content(token):
            continue
        lemmas.append(lemma)
        (negated if negation else affirmed).add(lemma)
        if direction and not said:
            directions.setdefault(lemma, set()).add(direction)
            if next_word_only:
                direction = None
    return Reading(tuple(lemmas), {k: frozenset(v) for k, v in directions.items()}, frozenset(negated),
                   frozenset(affirmed))


def merged(texts: Sequence[str]) -> Reading:
    readings = [read(t) for t in texts]
    directions: Dict[str, Set[str]] = {}
    for r in readings:
        for lemma, said in r.directions.items():
            directions.setdefault(lemma, set()).update(said)
    return Reading(tuple(lemma for r in readings for lemma in r.lemmas),
                   {k: frozenset(v) for k, v in directions.items()},
                   frozenset().union(*(r.negated for r in readings)), frozenset().union(*(r.affirmed for r in readings)))


def same_word(lemma: str, known: Set[str]) -> bool:
    """The lemma, or a word of the same stem ("treat" / "treatment", "relief" / "relieve")."""
    if lemma in known:
        return True
    for other in known:
        shortest = min(len(lemma), len(other))
        stem = max(MIN_STEM, shortest - 2)
        if shortest >= MIN_STEM and lemma[:stem] == other[:stem]:
            return True
    return False


def problems(sentence: str, passages: Sequence[str]) -> List[str]:
    """Why the passages do not support the sentence (nothing: they do)."""
    claim, source = read(sentence), merged(passages)
    if not claim.lemmas:
        return ["no content words"]
    if not passages:
        return ["no passage"]
    known = set(source.lemmas)
    missing = [w for w in claim.lemmas if not same_word(w, known)]
    found = []
    if 1 - len(missing) / len(claim.lemmas) < MIN_SUPPORTED_SHARE:
        found.append(f"words not in its passage: {missing}")
    for lemma, said in claim.directions.items():
        there = source.directions.get(lemma)
        for direction in said:
            if there and not any((direction, d) in AGREE for d in there):
                found.append(f"{lemma!r} said to go {direction}, its passage says {sorted(there)}")
    for lemma in claim.negated - claim.affirmed:
        if lemma in source.affirmed - source.negated:
            found.append(f"{lemma!r} negated, its passage affirms it")
    for lemma in claim.affirmed - claim.negated:
        if lemma in source.negated - source.affirmed:
            found.append(f"{lemma!r} affirmed, its passage negates it")
    return found


def is_supported(sentence: str, passages: Sequence[str]) -> bool:
    return not problems(sentence, passages)


def supported_by_whole_article(sentence: str, keys: Sequence[str]) -> bool:
    """The old check, kept to show what it let through: the sentence's content lemmas mostly somewhere in the
    cited articles, in any order and any direction."""
    known = {lemma for key in keys for lemma in read(article_text(key)).lemmas}
    words = read(sentence).lemmas
    return bool(words) and sum(w in known for w in words) / len(words) >= MIN_SUPPORTED_SHARE


def passage_of(topic: str, index: int) -> List[str]:
    """The passage(s) a real answer's sentence was written from."""
    return answer(topic)[1][index]


# --- the answers ----------------------------------------------------------------------------------------------

def test_every_trained_topic_has_an_answer_and_every_answer_a_topic():
    trained = {label for path in (ROOT / "data" / "nlu").glob("*.yml") for _, label in load_examples(path)}
    trained_topics = {label[len("faq_"):] for label in trained if label.startswith("faq_")}
    assert trained_topics == set(TOPICS)
    heldout_topics = {label[len("faq_"):] for _, label in load_examples() if label.startswith("faq_")}
    assert heldout_topics == trained_topics


def test_answers_cite_real_articles_and_leave_the_source_line_to_the_server():
    articles = sources()  # knowledge/sources.yml
    for topic in TOPICS:
        response = faq_responses()[topic]
        cited = response["metadata"]["sources"]
        assert cited and set(cited) <= set(articles) and len(set(cited)) == len(cited), topic
        assert "Source:" not in response["text"], topic  # added at run time from metadata.sources


def test_answers_are_short():
    for topic in TOPICS:
        assert 1 <= len(answer(topic)[0]) <= 4, topic


@pytest.mark.parametrize("topic", TOPICS)
def test_every_sentence_is_supported_by_its_own_passage(topic):
    answer_sentences, passages, cited = answer(topic)
    assert cited, topic
    # (b) one entry per sentence, in order
    assert len(passages) == len(answer_sentences), (len(passages), answer_sentences)
    for sentence, passage in zip(answer_sentences, passages, strict=True):
        # (a) every passage is verbatim a sentence of one of the answer's own articles
        for text in passage:
            assert any(normalised(text) in article_text(key) for key in cited), ("not in the cited articles", text)
            assert any(normalised(text) in article_sentences(key) for key in cited), ("not a whole sentence", text)
        # only the fixed wording may say the articles are silent, and it has no passage
        if SILENCE.match(sentence):
            assert passage == [], (sentence, passage)
            continue
        assert passage, ("a claim needs its passage", sentence)
        # (c) the sentence is what its passage says
        assert not problems(sentence, passage), (sentence, passage, problems(sentence, passage))
    # every article the reply names as its source gives it at least one passage
    used = {key for passage in passages for text in passage for key in cited if normalised(text) in article_text(key)}
    assert used == set(cited), ("cited but not used", set(cited) - used)


def test_the_silence_sentence_is_never_the_whole_answer():
    for topic in TOPICS:
        assert not all(SILENCE.match(s) for s in answer(topic)[0]), topic


def test_follow_up_buttons_use_each_topics_own_title():
    responses = faq_responses()
    for topic, response in responses.items():
        buttons = response.get("buttons") or []
        assert 2 <= len(buttons) <= 3, topic
        for button in buttons:
            if button["payload"].startswith("/faq_"):
                target = button["payload"][len("/faq_"):]
                assert target != topic and target in responses, (topic, target)
                assert button["title"] == responses[target]["metadata"]["question"], (topic, target)


def test_every_topic_is_answered_by_its_own_rule():
    rules = yaml.safe_load((ROOT / "data" / "rules" / "faq.yml").read_text())["rules"]
    answered = {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules}
    assert answered == {f"faq_{topic}": f"{FAQ_PREFIX}{topic}" for topic in TOPICS}


# --- the check itself: controls -------------------------------------------------------------------------------

BOTH_ARTICLES = list(sources())
INFLAMMATION = passage_of("inflammation", 0)      # "Massage therapy increases blood flow, which ... lowers inflammation"
BLOOD_PRESSURE = passage_of("blood_pressure", 0)  # "... a safe and natural way to help lower blood pressure ..."
DRUG_FREE = passage_of("drug_free_pain_relief", 0)  # "... a natural, drug-free way to relieve pain ..."


def test_the_controls_use_the_passages_they_are_about():
    assert "lowers inflammation" in " ".join(INFLAMMATION)
    assert "help lower blood pressure without medications" in " ".join(BLOOD_PRESSURE)
    assert "way to relieve pain" in " ".join(DRUG_FREE)
    assert "by reducing muscle pain" in " ".join(passage_of("range_of_motion", 1))
    assert "improved blood and lymph flow" in " ".join(passage_of("soft_tissue_massage", 0))


def test_a_reversed_claim_fails_though_the_whole_article_check_passed_it():
    reversed_claim = "Massage increases inflammation and blood pressure."
    assert supported_by_whole_article(reversed_claim, BOTH_ARTICLES)  # the old check let it through
    assert not is_supported(reversed_claim, INFLAMMATION + BLOOD_PRESSURE)
    assert not is_supported(reversed_claim, INFLAMMATION)
    assert not is_supported(reversed_claim, BLOOD_PRESSURE)
    # every word of this one is in its passage: only the direction gives it away
    claim = "Massage therapy increases inflammation in the affected areas."
    assert supported_by_whole_article(claim, BOTH_ARTICLES)
    assert problems(claim, INFLAMMATION)
    assert not any(problem.startswith("words not in") for problem in problems(claim, INFLAMMATION))
    assert not is_supported("Massage therapy raises blood pressure.", BLOOD_PRESSURE)
    assert not is_supported("Massage therapy worsens inflammation in the affected areas.", INFLAMMATION)
    assert not is_supported("Soft-tissue massage reduces blood and lymph flow.", passage_of("soft_tissue_massage", 0))
    # what the passage does say passes, in other words too
    assert is_supported("Massage therapy lowers inflammation in the affected areas.", INFLAMMATION)
    assert is_supported("Massage therapy can help lower blood pressure.", BLOOD_PRESSURE)


def test_a_negated_claim_fails():
    negated = "Massage does not relieve pain."
    assert supported_by_whole_article(negated, BOTH_ARTICLES)  # the old check let it through
    assert not is_supported(negated, DRUG_FREE)
    assert is_supported("Massage relieves pain.", DRUG_FREE)
    mobility = passage_of("range_of_motion", 1)  # "... by reducing muscle pain and increasing general mobility."
    assert supported_by_whole_article("Massage therapy never reduces muscle pain.", BOTH_ARTICLES)
    assert not is_supported("Massage therapy never reduces muscle pain.", mobility)
    assert is_supported("Massage therapy reduces muscle pain.", mobility)
    # and the other way round: affirming what the passage negates
    with_side_effects = "Massage therapy lowers blood pressure with medications and adverse side effects."
    assert supported_by_whole_article(with_side_effects, BOTH_ARTICLES)
    assert not is_supported(with_side_effects, BLOOD_PRESSURE)
    # "not only ... but also" is no negation
    strategy = "This integrated strategy not only relieves pain, but also helps to avoid future injuries."
    assert is_supported("This integrated strategy relieves pain and helps to avoid future injuries.", [strategy])


# an answer sentence and another sentence of its article that says it as well
SAID_TWICE = {
    ("These functions have many mental and physical health benefits.",
     "Besides relieving physical pain, therapeutic massage has various mental health benefits."),
}


def test_a_sentence_moved_to_another_topics_passage_fails():
    endorphins = answer("endorphins")[0][0]  # "Massage causes the release of endorphins, ..."
    assert supported_by_whole_article(endorphins, BOTH_ARTICLES)  # true in the article ...
    assert not is_supported(endorphins, BLOOD_PRESSURE)           # ... but not in this passage
    deep_tissue = answer("deep_tissue")[0][0]  # from the same article as the inflammation passage
    assert supported_by_whole_article(deep_tissue, ["chronic_pain_article"])
    assert not is_supported(deep_tissue, INFLAMMATION)
    # every claim of every answer, against every other answer's passage that shares none of its own, fails but
    # where the article says the same thing twice
    claims = [(topic, s, p) for topic in TOPICS for s, p in zip(*answer(topic)[:2], strict=True) if p]
    assert len(claims) > len(TOPICS)
    passed = [(topic, sentence, other_topic, other)
              for topic, sentence, own in claims for other_topic, _, other in claims
              if not set(own) & set(other) and is_supported(sentence, other)
              and not any((sentence, sentence_there) in SAID_TWICE for sentence_there in other)]
    assert not passed, passed
    for sentence, sentence_there in SAID_TWICE:
        assert is_supported(sentence, [sentence_there]), (sentence, sentence_there)


def test_an_invented_claim_fails():
    for claim in ("Massage cures diabetes and boosts the immune system against viruses.",
                  "Hot stone therapy detoxifies the liver and melts belly fat."):
        assert not supported_by_whole_article(claim, BOTH_ARTICLES)
        for topic in TOPICS:
            for passage in answer(topic)[1]:
                assert not is_supported(claim, passage), (claim, passage)
    # invented words in an otherwise true sentence
    assert not is_supported("Massage therapy increases blood flow, which cures arthritis and diabetes for good.",
                            INFLAMMATION)


def test_every_sentence_of_the_articles_supports_itself():
    for key in BOTH_ARTICLES:
        for sentence in article_sentences(key):
            if read(sentence).lemmas:
                assert is_supported(sentence, [sentence]), (sentence, problems(sentence, [sentence]))
