"""Context layer: is a red flag happening now, negated, in the past or hypothetical?

medspaCy's ConText algorithm (Chapman et al.), the standard for this in clinical NLP, with cue phrases
for how visitors write (context.yml) instead of its defaults for clinical notes. A cue reaches the red
flags after (FORWARD), before (BACKWARD) or on both sides of it, up to its scope or the end of the
sentence, and never past a cue that ends it (NOW: "right now", "just"; BUT: "but", "however").
"""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Iterable, Optional, Set, Text

from medspacy.context import ConText, ConTextRule
from spacy.language import Language
from spacy.tokens import Doc, Span

from addons.safety.phrases import PhraseCompiler
from addons.safety.rules import load_rules

CONTEXT_RULES = Path(__file__).resolve().parent / "context.yml"
SPAN_GROUP = "red_flags"


class Status(str, Enum):
    CURRENT = "current"
    NEGATED = "negated"
    PAST = "past"
    HYPOTHETICAL = "hypothetical"


NEGATED, HISTORICAL, HYPOTHETICAL = "NEGATED_EXISTENCE", "HISTORICAL", "HYPOTHETICAL"
HISTORICAL_UNLESS_NOW, NOW = "HISTORICAL_UNLESS_NOW", "NOW"
BUT = "BUT"
NOW_REACH = 2  # a NOW cue this many words before or after a red flag makes it current
# which cue categories end the reach of which (ConText's `terminated_by`); reassurances (BIDIRECTIONAL
# negation cues) reach past "but"
ENDED_BY = {
    HISTORICAL: {NOW, BUT},
    HISTORICAL_UNLESS_NOW: {NOW, BUT},
    HYPOTHETICAL: {NOW, BUT},
    NEGATED: {BUT},
}


def build_context(nlp: Language) -> ConText:
    """ConText over the red flags in a doc's span group SPAN_GROUP (`nlp` must set sentences)."""
    context = ConText(
        nlp,
        rules=None,
        span_attrs=None,
        input_span_type="group",
        span_group_name=SPAN_GROUP,
        # a cue inside a red flag ("can't" of "can't breathe") modifies nothing at all
        prune_on_target_overlap=True,
    )
    context.add(list(_rules(nlp)))
    return context


def _rules(nlp: Language) -> Iterable[ConTextRule]:
    compiler = PhraseCompiler(nlp, {}, exact=True)  # cues are written in every form they take
    spec = load_rules(CONTEXT_RULES)
    for category, cues in spec.items():
        for cue in cues:
            for number, pattern in enumerate(compiler.patterns(cue["phrase"])):
                yield ConTextRule(
                    literal=f"{cue['phrase']} #{number}",
                    category=category,
                    pattern=pattern,
                    direction=cue["direction"],
                    max_scope=cue.get("scope"),
                    terminated_by=_ended_by(category, cue["direction"]),
                    excluded_types={kind.upper() for kind in cue.get("not_for", [])} or None,
                )


def reassures(doc: Doc) -> bool:
    """Whether the message has a reassurance ("went away", "totally fine now") or a firm past ("last year",
    "in 2019") anywhere, with or without a red flag for it to modify. Not when another sentence says it is
    happening now: "I had a TIA two years ago. Right now my whole left side has gone numb"."""
    modifiers = doc._.context_graph.modifiers
    reassuring = [
        modifier for modifier in modifiers
        if (modifier.category == NEGATED and modifier.direction != "FORWARD") or modifier.category == HISTORICAL
    ]
    reassured_sentences = {doc[modifier.modifier_span[0]].sent.start for modifier in reassuring}
    now_sentences = {doc[modifier.modifier_span[0]].sent.start for modifier in modifiers if modifier.category == NOW}
    return bool(reassuring) and not (now_sentences - reassured_sentences)


def _ended_by(category: Text, direction: Text) -> Optional[Set[Text]]:
    if category == NEGATED and direction != "FORWARD":
        return None  # "... but the scan came back clear" reaches back past the "but"
    return ENDED_BY.get(category)


def status(span: Span) -> Status:
    """What the context says about one red flag. Negation wins: "no chest pain, not even last year"."""
    # a cue with a scope counts words, not sentences: keep only the cues of the red flag's own sentence
    sentence = span.sent
    categories: Set[Text] = {
        modifier.category
        for modifier in span._.modifiers
        if sentence.start <= modifier.modifier_span[0] < sentence.end and not _but_between(modifier, span)
    }
    if NEGATED in categories:
        return Status.NEGATED
    if _now_next_to(span):
        return Status.CURRENT  # "bleeding through towels now", "swelled up out of nowhere"
    if HYPOTHETICAL in categories:
        return Status.HYPOTHETICAL
    if HISTORICAL in categories:
        return Status.PAST
    if HISTORICAL_UNLESS_NOW in categories and not _says_now(span):
        return Status.PAST
    return Status.CURRENT


def _but_between(modifier, span: Span) -> bool:
    """A reassurance before a "but" says nothing of what follows it ("probably just a pulled muscle, but my
    chest has gone tight"); after the red flag it still reaches back ("... but the scan came back clear")."""
    if modifier.category != NEGATED or modifier.modifier_span[1] > span.start:
        return False
    return any(other.category == BUT and modifier.modifier_span[1] <= other.modifier_span[0] < span.start
               for other in span.doc._.context_graph.modifiers)


def _now_next_to(span: Span, reach: int = NOW_REACH) -> bool:
    graph = span.doc._.context_graph
    return any(
        modifier.category == NOW
        and span.start - reach <= modifier.modifier_span[0] <= span.end + reach - 1
        for modifier in graph.modifiers
    )


def _says_now(span: Span) -> bool:
    graph = span.doc._.context_graph
    sentence = span.sent
    return any(
        modifier.category == NOW and sentence.start <= modifier.modifier_span[0] < sentence.end
        for modifier in graph.modifiers
    )


