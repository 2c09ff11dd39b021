"""Rule layer: red-flag phrases (red_flags.yml) and medication/cure questions (medication_or_cure.yml).

Matched with spaCy's Matcher on the lemmas of the normalised text. A kind's `needs` phrases count only
when one of their `with` phrases is in the message too; a match inside one of the kind's `unless` phrases
is dropped. The result is a list of spans labelled with their kind; ConText (context.py) decides next
whether each is current, negated, past or hypothetical.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Set, Text, Tuple

import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from addons.safety.phrases import PhraseCompiler

HERE = Path(__file__).resolve().parent
RED_FLAG_RULES = HERE / "red_flags.yml"
MEDICATION_RULES = HERE / "medication_or_cure.yml"
SELF_HARM = "self_harm"


class _NoDuplicateKeys(yaml.SafeLoader):
    """A key written twice (a second `needs:` in a kind) would silently replace the first and its rules."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = sorted({str(key) for key in keys if keys.count(key) > 1})
        if twice:
            raise ValueError(f"{node.start_mark.name}, line {node.start_mark.line + 1}: {', '.join(twice)} written twice")
        return super().construct_mapping(node, deep)


def load_rules(path: Path) -> Dict[Text, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDuplicateKeys)


def _anchor(pattern: List[Dict[Text, Any]]) -> Optional[Tuple[Text, Set[Text]]]:
    """A token every match of the pattern has, as (attribute, its possible values): the required token with
    the rarest words (no stop words, fewest choices), so that few messages have it."""
    candidates = []
    for token in pattern:
        if token.get("OP") in ("?", "*", "!"):
            continue
        for attribute in ("LEMMA", "LOWER"):
            if isinstance(token.get(attribute), dict) and "IN" in token[attribute]:
                values = set(token[attribute]["IN"])
                candidates.append((bool(values & STOP_WORDS), len(values), attribute, values))
    if not candidates:
        return None
    _, _, attribute, values = min(candidates, key=lambda candidate: candidate[:2])
    return attribute, values


class AnchoredMatcher:
    """spaCy's Matcher, one per label, each run only on messages that contain a word its patterns need.

    A Matcher tries each of its patterns at every token: with a few thousand patterns that is most of the
    time of reading a message, though most messages contain none of a label's words. Each pattern has a
    token it cannot match without (`_anchor`), so a label none of whose patterns' anchor words occur in the
    message is skipped; the matches are the same.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.labels: Set[Text] = set()
        # (label, attribute, anchor words) -> the Matcher of the label's patterns with that anchor
        self.matchers: Dict[Tuple[Text, Text, FrozenSet[Text]], Matcher] = {}
        # (attribute, word) -> the keys of the matchers anchored on it: a message's words find their matchers
        # at once, instead of every matcher's anchor being checked against the message (thousands of them)
        self.anchored_on: Dict[Tuple[Text, Text], List[Tuple[Text, Text, FrozenSet[Text]]]] = {}
        self.unanchored: List[Tuple[Text, Text, FrozenSet[Text]]] = []

    def add(self, label: Text, patterns: List[List[Dict[Text, Any]]]) -> None:
        self.labels.add(label)
        groups: Dict[Tuple[Text, FrozenSet[Text]], List[List[Dict[Text, Any]]]] = {}
        for pattern in patterns:
            attribute, words = _anchor(pattern) or ("", set())  # no anchor: always run
            groups.setdefault((attribute, frozenset(words)), []).append(pattern)
        for (attribute, anchor_words), group in groups.items():
            # the patterns are built by PhraseCompiler, not written by hand: spaCy's schema check is 16 s of start-up
            key = (label, attribute, frozenset(anchor_words))
            if key not in self.matchers:
                self.matchers[key] = Matcher(self.vocab, validate=False)
                if not attribute:
                    self.unanchored.append(key)
                for word in anchor_words:
                    self.anchored_on.setdefault((attribute, word), []).append(key)
            self.matchers[key].add(label, group)

    def __contains__(self, label: Text) -> bool:
        return label in self.labels

    def __call__(self, doc: Doc) -> List[Tuple[Text, int, int]]:
        keys = dict.fromkeys(self.unanchored)
        for token in doc:
            for attribute, word in (("LEMMA", token.lemma_), ("LOWER", token.lower_)):
                keys.update(dict.fromkeys(self.anchored_on.get((attribute, word), ())))
        matches = set()
        for key in keys:
            matches |= {(key[0], start, end) for _, start, end in self.matchers[key](doc)}
        return sorted(matches, key=lambda match: (match[1], match[2]))


class PhraseRules:
    """Every kind of one rule file, matched on a message's lemmas."""

    def __init__(self, nlp: Language, rules: Mapping[Text, Any]) -> None:
        compiler = PhraseCompiler(nlp, rules.get("lists") or {})
        self.matcher = AnchoredMatcher(nlp.vocab)
        self.kinds: List[Text] = []
        for kind, spec in rules["kinds"].items():
            self.kinds.append(kind)
            self.matcher.add(kind, compiler.all_patterns(spec.get("phrases") or []))
            for number, needs in enumerate(spec.get("needs") or []):
                self.matcher.add(f"{kind}|needs{number}", compiler.all_patterns(needs["phrases"]))
                self.matcher.add(f"{kind}|with{number}", compiler.all_patterns(needs["with"]))
            if spec.get("unless"):
                self.matcher.add(f"{kind}|unless", compiler.all_patterns(spec["unless"]))

    def find(self, doc: Doc) -> List[Span]:
        """Spans labelled with their kind; spans of one kind do not overlap, spans of two kinds may."""
        return self.find_with_exceptions(doc)[0]

    def find_with_exceptions(self, doc: Doc) -> Tuple[List[Span], List[Span]]:
        """(red flags, the `unless` phrases found: words the rules read in another sense or as mild)."""
        found: Dict[Text, List[Span]] = {}
        for label, start, end in self.matcher(doc):
            found.setdefault(label, []).append(Span(doc, start, end, label=label.split("|")[0]))
        spans: List[Span] = []
        excused: List[Span] = []
        for kind in self.kinds:
            candidates = list(found.get(kind, []))
            number = 0
            while f"{kind}|needs{number}" in self.matcher:
                if found.get(f"{kind}|with{number}"):
                    candidates += found.get(f"{kind}|needs{number}", [])
                number += 1
            exceptions = found.get(f"{kind}|unless", [])
            kept = [span for span in candidates if not any(_overlap(span, other) for other in exceptions)]
            spans += filter_spans(kept)
            excused += exceptions
        return spans, excused


def rule_words(rules: Mapping[Text, Any]) -> Set[Text]:
    """Every plain word a rule file looks for (for spelling correction towards them)."""
    lists = rules.get("lists") or {}
    phrases = [p for spec in rules["kinds"].values() for p in spec.get("phrases") or []]
    phrases += [p for spec in rules["kinds"].values() for needs in spec.get("needs") or [] for p in needs["phrases"] + needs["with"]]
    text = " ".join(phrases + list(lists.values()))
    return {w for w in re.split(r"[\s|_]+", text) if w.isalpha()}


def _overlap(span: Span, other: Span) -> bool:
    return span.start < other.end and other.start < span.end
