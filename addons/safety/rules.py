"""Rule layer: red-flag phrases (red_flags.yml) and medication/cure questions (medication_or_cure.yml).

Matched with spaCy's Matcher on the lemmas of the normalised text. A kind's `needs` phrases count only
when one of their `with` phrases is in the message too; a match inside one of the kind's `unless` phrases
is dropped. The result is a list of spans labelled with their kind; ConText (context.py) decides next
whether each is current, negated, past or hypothetical.
"""
from __future__ import annotations

from pathlib import Path
import re
from typing import Any, Dict, List, Mapping, Set, Text, Tuple

import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from addons.safety.phrases import PhraseCompiler

HERE = Path(__file__).resolve().parent
RED_FLAG_RULES = HERE / "red_flags.yml"
MEDICATION_RULES = HERE / "medication_or_cure.yml"
SELF_HARM = "self_harm"


def load_rules(path: Path) -> Dict[Text, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class PhraseRules:
    """Every kind of one rule file, as one Matcher."""

    def __init__(self, nlp: Language, rules: Mapping[Text, Any]) -> None:
        compiler = PhraseCompiler(nlp, rules.get("lists") or {})
        # the patterns are built by PhraseCompiler, not written by hand: spaCy's schema check is 16 s of start-up
        self.matcher = Matcher(nlp.vocab, validate=False)
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
        for match_id, start, end in self.matcher(doc):
            label = doc.vocab.strings[match_id]
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
