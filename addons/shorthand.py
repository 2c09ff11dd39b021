"""Spells out the shorthand visitors type ("is DT good 4 OA?"), so the classifiers read the words they know.

The classifiers learn from the training phrasings, where each topic is mostly written out ("deep tissue",
"osteoarthritis"). A clinic abbreviation or text-speak word is a token they rarely saw, so the message was
read as unclear, or as the general benefits topic. Expanding it before tokenizing (training data and
messages alike) lets one phrasing of a topic stand for its abbreviations too.

Only whole words are replaced, case-insensitively, and only words that mean one thing in a massage clinic's
chat; digits ("4 weeks pregnant") are never touched. The safety layer keeps reading the visitor's own words
(FULL_TEXT): its rules and thresholds were built and cross-validated on them, with their own normalising.
"""
from __future__ import annotations

import re
from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from addons.message_limit import VisitorTextRewriter
from addons.safety.normalise import ABBREVIATIONS

# clinic abbreviations and slang for the FAQ topics' subjects
CLINIC_SHORTHAND = {
    "dt": "deep tissue", "oa": "osteoarthritis", "rom": "range of motion", "bp": "blood pressure",
    "fibro": "fibromyalgia", "fms": "fibromyalgia", "physio": "physiotherapy", "chiro": "chiropractor",
    "chiros": "chiropractors", "cts": "carpal tunnel syndrome", "doms": "delayed onset muscle soreness",
    "chemo": "chemotherapy", "ra": "rheumatoid arthritis",
    "preggo": "pregnant", "preggers": "pregnant", "preg": "pregnant", "op": "operation", "ops": "operations",
    "lymphatics": "lymphatic system",
}
# text-speak for ordinary words: the safety layer's chat abbreviations, and a few more
TEXT_SPEAK = {
    **{short: long for short, long in ABBREVIATIONS.items() if " " not in short},
    "n": "and", "w/": "with", "w/o": "without", "cuz": "because", "coz": "because", "bcuz": "because",
    "wat": "what", "wot": "what", "gud": "good", "ppl": "people", "smth": "something", "sth": "something",
    "tho": "though", "appt": "appointment", "appts": "appointments",
}
# lay words and idioms for the topics' subjects, spelled the way the training data says them
LAY_WORDS = {
    "rubdown": "massage", "rubdowns": "massages", "rub down": "massage", "rub-down": "massage",
    "z's": "sleep", "zs": "sleep", "zzz": "sleep", "kip": "sleep", "shut-eye": "sleep", "shut eye": "sleep",
    "going under the knife": "having surgery", "under the knife": "in surgery", "post-op": "after surgery", "post op": "after surgery",
    "head pounders": "headaches", "sore head": "headache", "sore heads": "headaches", "pounding head": "headache",
    "throbbing head": "headache", "migs": "migraines",
    "frazzled": "stressed", "in a funk": "in a low mood", "feeling blue": "feeling low",
    "down in the dumps": "feeling low", "suppleness": "flexibility", "supple": "flexible",
    "bendy": "flexible", "bendier": "more flexible", "limber": "flexible",
    "non-pharmacological": "drug-free", "non-drug": "drug-free", "med-free": "drug-free",
    "pill-free": "drug-free", "circ": "circulation", "blood pumping": "blood circulating",
    # "advanced" of an illness is its stage, not advanced massage therapy
    **{f"advanced {illness}": f"late-stage {illness}" for illness in (
        "dementia", "alzheimer's", "alzheimers", "cancer", "arthritis", "osteoarthritis", "parkinson's",
        "parkinsons", "ms", "disease", "stage", "copd", "heart failure", "kidney disease", "diabetes")},
}
SHORTHAND = {**TEXT_SPEAK, **CLINIC_SHORTHAND, **LAY_WORDS}
_PATTERN = re.compile(r"(?<![\w/'-])(" + "|".join(sorted(map(re.escape, SHORTHAND), key=len, reverse=True))
                      + r")(?![\w/'-])", re.IGNORECASE)


def expand(text: Text) -> Text:
    return _PATTERN.sub(lambda match: SHORTHAND[match.group(1).lower()], text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class ShorthandExpander(VisitorTextRewriter):
    """After MessageLengthLimit, before SpacyNLP."""

    def rewrite(self, text: Text) -> Text:
        return expand(text)
