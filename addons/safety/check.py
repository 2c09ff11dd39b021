"""The rule layers together: normalise and fix spelling -> red-flag and medication/cure rules -> ConText.

`SafetyRules().check(text)` needs no trained model, so it also runs where no model is loaded (tests, the
benchmark). The learned layer (classifier.py) and the Rasa component (component.py) build on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, List, Optional, Text, Tuple

import spacy
from spacy.language import Language

from addons.safety.context import SPAN_GROUP, Status, build_context, reassures, status
from addons.safety.normalise import Spelling, normalise
from addons.safety.rules import MEDICATION_RULES, RED_FLAG_RULES, SELF_HARM, PhraseRules, load_rules, rule_words

# Longer messages are read in full; this only bounds the work one message can cause.
MAX_SAFETY_CHARACTERS = 100_000
CURE_OR_SURGERY = "cure_or_surgery"  # a kind of medication_or_cure.yml
# of its checks
ABOUT_PAIN, CHANGES_MEDICATION, NAMES_MEDICATION_OR_CURE = "about_pain", "changes_medication", "names_medication_or_cure"


@dataclass
class RedFlag:
    kind: Text
    status: Status
    text: Text  # the words matched, in the normalised text


@dataclass
class Findings:
    red_flags: List[RedFlag] = field(default_factory=list)
    medication_or_cure: bool = False
    # of which a cure or surgery question (the rest ask to replace, stop, reduce or do without medicine)
    cure_or_surgery: bool = False
    # whether a medication question is one the drug-free pain relief article answers: about pain, and not
    # about changing a medicine someone takes (medication_or_cure.yml, checks)
    drug_free_answer: bool = False
    # whether the message names a medicine, a cure or an operation at all (medication_or_cure.yml, checks)
    names_medication_or_cure: bool = False
    # words a rule matched and then set aside as another sense ("massage strokes", "emergency appointment")
    other_senses: List[Text] = field(default_factory=list)

    # whether the message reassures ("it went away", "totally fine now") or speaks of the past ("last year"):
    # worked out only when asked (ConText is most of the rules' time, and most messages have no red flag)
    reassurance: Callable[[], bool] = lambda: False

    @cached_property
    def reassured(self) -> bool:
        return self.reassurance()

    @property
    def judged_by_rules(self) -> bool:
        """The rules judged the message (a red flag in its context, a word in another sense, or a
        reassurance): the learned layer must not overrule them."""
        return bool(self.red_flags or self.other_senses or self.reassured)

    @property
    def current(self) -> Optional[RedFlag]:
        """The red flag to act on now: self-harm first (it needs the crisis line), else the first one."""
        current = [flag for flag in self.red_flags if flag.status == Status.CURRENT]
        return next((f for f in current if f.kind == SELF_HARM), current[0] if current else None)

    @property
    def past_or_hypothetical(self) -> Optional[RedFlag]:
        return next((f for f in self.red_flags if f.status in (Status.PAST, Status.HYPOTHETICAL)), None)


def build_nlp() -> Language:
    """Tokens, lookup lemmas (spacy-lookups-data) and sentences: all the rules need, no vectors."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("sentencizer")
    nlp.initialize()
    return nlp


class SafetyRules:
    def __init__(self) -> None:
        self.nlp = build_nlp()
        red_flag_rules, medication_rules = load_rules(RED_FLAG_RULES), load_rules(MEDICATION_RULES)
        self.red_flags = PhraseRules(self.nlp, red_flag_rules)
        self.medication = PhraseRules(self.nlp, medication_rules)
        self.medication_checks = PhraseRules(self.nlp, {"lists": medication_rules["lists"], "kinds": medication_rules["checks"]})
        self.spelling = Spelling(rule_words(red_flag_rules) | rule_words(medication_rules))
        self.context = build_context(self.nlp)

    def check(self, text: Text) -> Findings:
        doc = self.nlp(self.spelling.fix(normalise(text[:MAX_SAFETY_CHARACTERS])))
        found, excused = self.red_flags.find_with_exceptions(doc)
        doc.spans[SPAN_GROUP] = found
        medication = {span.label_ for span in self.medication.find(doc)}
        medication_or_cure, cure_or_surgery = bool(medication), CURE_OR_SURGERY in medication
        checks = {span.label_ for span in self.medication_checks.find(doc)}
        drug_free = ABOUT_PAIN in checks and CHANGES_MEDICATION not in checks and not cure_or_surgery
        names = medication_or_cure or NAMES_MEDICATION_OR_CURE in checks
        other_senses = [span.text for span in excused]
        if not found:
            return Findings([], medication_or_cure, cure_or_surgery, drug_free, names, other_senses,
                            lambda: reassures(self.context(doc)))
        doc = self.context(doc)
        flags = [RedFlag(span.label_, status(span), span.text) for span in doc.spans[SPAN_GROUP]]
        reassured = reassures(doc)
        return Findings(flags, medication_or_cure, cure_or_surgery, drug_free, names, other_senses, lambda: reassured)

    def explain(self, text: Text) -> List[Tuple[Text, Text, Text]]:
        """(kind, status, words) of every red flag: for staff and for debugging a rule."""
        return [(f.kind, f.status.value, f.text) for f in self.check(text).red_flags]


@lru_cache(maxsize=1)
def shared_rules() -> SafetyRules:
    """One compiled rule set per process (compiling takes about a second)."""
    return SafetyRules()
