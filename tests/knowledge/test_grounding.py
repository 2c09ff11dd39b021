"""Every FAQ answer is built from the clinic's articles: it cites them, and its claims are in them."""
import re
from functools import lru_cache
from typing import Dict, List, Set

import pytest
import spacy
import yaml

from evaluation.heldout import ROOT, load_examples

KNOWLEDGE = ROOT / "knowledge"
SOURCES: Dict[str, Dict[str, str]] = yaml.safe_load((KNOWLEDGE / "sources.yml").read_text(encoding="utf-8"))
SPACY_MODEL = ROOT / ".cache" / "spacy" / "clinic_vectors_lean"
# a sentence that says the articles are silent is not a claim, it sends the user to a provider
SILENCE = re.compile(r"^Our articles do not say more about\b")
MIN_SUPPORTED_SHARE = 0.8
# words that frame a claim rather than make one
FRAMING = {"article", "articles", "our", "one", "also", "therefore", "physically", "mentally", "condition"}


@lru_cache(maxsize=None)
def nlp():
    assert SPACY_MODEL.exists(), "spaCy pipeline missing: `make test` builds it"
    return spacy.load(SPACY_MODEL)


def content_lemmas(text: str) -> List[str]:
    return [
        t.lemma_.lower() for t in nlp()(text.replace("-", " "))
        if t.is_alpha and not t.is_stop and len(t) > 2 and t.lower_ not in FRAMING
    ]


@lru_cache(maxsize=None)
def source_lemmas(key: str) -> Set[str]:
    return set(content_lemmas((KNOWLEDGE / SOURCES[key]["file"]).read_text(encoding="utf-8")))


def unsupported_words(sentence: str, sources: List[str]) -> List[str]:
    known = set().union(*(source_lemmas(s) for s in sources))
    return [w for w in content_lemmas(sentence) if w not in known]


def is_supported(sentence: str, sources: List[str]) -> bool:
    words = content_lemmas(sentence)
    return bool(words) and 1 - len(unsupported_words(sentence, sources)) / len(words) >= MIN_SUPPORTED_SHARE


def split_answer(text: str):
    body, _, source_line = text.rpartition("\n\nSource: ")
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if s.strip()]
    return sentences, source_line


def faq_responses(domain):
    return {k[len("utter_faq_"):]: v[0] for k, v in domain["responses"].items() if k.startswith("utter_faq_")}


def test_every_trained_topic_has_an_answer_and_every_answer_a_topic(domain):
    trained = {label for path in (ROOT / "data" / "nlu").glob("*.yml") for _, label in load_examples(path)}
    trained_topics = {label[len("faq_"):] for label in trained if label.startswith("faq_")}
    assert trained_topics == set(faq_responses(domain))
    heldout_topics = {label[len("faq_"):] for _, label in load_examples() if label.startswith("faq_")}
    assert heldout_topics == trained_topics


def test_answers_cite_real_sources_by_title(domain):
    for topic, response in faq_responses(domain).items():
        sources = response["metadata"]["sources"]
        assert sources and set(sources) <= set(SOURCES), topic
        _, source_line = split_answer(response["text"])
        assert source_line == " / ".join(SOURCES[s]["title"] for s in sources), topic


def test_answers_are_short(domain):
    for topic, response in faq_responses(domain).items():
        sentences, _ = split_answer(response["text"])
        assert 1 <= len(sentences) <= 4, topic


@pytest.mark.parametrize("topic", sorted(name for name in yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
                                          if name.startswith("utter_faq_")))
def test_every_claim_is_supported_by_its_cited_article(domain, topic):
    response = domain["responses"][topic][0]
    sources = response["metadata"]["sources"]
    sentences, _ = split_answer(response["text"])
    for sentence in sentences:
        if SILENCE.match(sentence):
            continue
        assert is_supported(sentence, sources), (sentence, unsupported_words(sentence, sources))


def test_the_check_rejects_invented_claims():
    sources = list(SOURCES)
    assert not is_supported("Massage cures diabetes and boosts the immune system against viruses.", sources)
    assert not is_supported("Hot stone therapy detoxifies the liver and melts belly fat.", sources)
    assert is_supported("Massage causes the release of endorphins, the body's natural pain relievers.", sources)


def test_follow_up_buttons_use_each_topics_own_title(domain):
    responses = faq_responses(domain)
    for topic, response in responses.items():
        buttons = response.get("buttons") or []
        assert 2 <= len(buttons) <= 3, topic
        for button in buttons:
            if button["payload"].startswith("/faq_"):
                target = button["payload"][len("/faq_"):]
                assert target != topic and target in responses, (topic, target)
                assert button["title"] == responses[target]["metadata"]["question"], (topic, target)


def test_every_topic_is_answered_by_its_own_rule(domain):
    rules = yaml.safe_load((ROOT / "data" / "rules" / "faq.yml").read_text())["rules"]
    answered = {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules}
    assert answered == {f"faq_{topic}": f"utter_faq_{topic}" for topic in faq_responses(domain)}
