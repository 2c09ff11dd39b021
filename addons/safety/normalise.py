"""Text as the safety rules read it: one plain, lower-case spelling for the many ways a word can be typed.

Visitors (and people trying to get past a filter) write "ｋｉｌｌ", "kіll" with a Cyrillic i, "k i l l",
"s.u.i.c.i.d.e", "k1ll", "kms" or "cant breathe rn". Every one of them must reach the rules as the same
words. The result is for matching only: it is never shown, stored or sent to the classifiers' features.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Dict, Iterable, Optional, Set, Text, Tuple

from unidecode import unidecode

# Chat abbreviations and spellings that hide a red flag or its context; whole tokens only.
ABBREVIATIONS: Dict[Text, Text] = {
    "kms": "kill myself",
    # short key words the speller leaves alone (it only fixes words of five letters or more)
    "kil": "kill",
    "kll": "kill",
    "pils": "pills",
    "hed": "head",
    "wud": "would",
    "cud": "could",
    "shud": "should",
    "kys": "kill yourself",
    "unalive": "kill myself",
    "unaliving": "killing myself",
    "bout": "about",
    "abt": "about",
    "wks": "weeks",
    "thru": "through",
    "sewerslide": "suicide",
    "sui": "suicide",
    "od": "overdose",
    "od'd": "overdosed",
    "oded": "overdosed",
    "cant": "can't",
    "cannot": "can't",
    "can not": "can't",
    "couldnt": "couldn't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "wont": "won't",
    "isnt": "isn't",
    "im": "i'm",
    "ive": "i've",
    "idk": "i don't know",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "outta": "out of",
    "kinda": "kind of",
    "rn": "right now",
    "atm": "at the moment",
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "bc": "because",
    "b4": "before",
    "2day": "today",
    "2nite": "tonight",
    "tmrw": "tomorrow",
    "yrs": "years",
    "yr": "year",
    "mins": "minutes",
    "hrs": "hours",
    "meds": "medication",
    "alot": "a lot",
    "bp": "blood pressure",
}
_ABBREVIATION = re.compile(r"(?<![\w'])(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w'])")

# Digits and symbols used as letters inside a word that starts with a letter ("k1ll", "su!c!de", "d3ad"); a word
# that starts with digits is a number with a unit ("30mg", "2nd", "5pm") and stays as it is.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_LEET_WORD = re.compile(r"(?<![\w@$!])[a-z@$](?=[a-z0-9@$!]*[0-9@$!][a-z0-9@$!]*[a-z])[a-z0-9@$!]+")
# Single letters separated by dots, dashes, underscores or spaces: "s.u.i.c.i.d.e", "k i l l", "d-i-e".
_SPELLED_OUT = re.compile(r"\b(?:[a-z][ .\-_*]{1,2}){2,}[a-z]\b")
_SEPARATORS = re.compile(r"[ .\-_*]")
# A letter repeated three or more times: "dyinggg", "heeelp".
_REPEATS = re.compile(r"([a-z])\1{2,}")
_SPACES = re.compile(r"\s+")
# "no pain or bleeding" -> "no pain or no bleeding": each symptom gets its own negation
_NO_X_OR_Y = re.compile(r"\b(no|without) ([a-z']+) (or|nor) (?!no\b)([a-z']+)")


def _fold_characters(text: Text) -> Text:
    text = unicodedata.normalize("NFKC", text)
    # zero-width joiners, soft hyphens, direction marks and other invisible format characters
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    # accents and look-alike letters of other scripts (Cyrillic, Greek, ...) to their Latin spelling
    return unidecode(text).lower()


def _join_spelled_out(match: "re.Match[Text]") -> Text:
    run = match.group(0)
    # "I w a n t": a lone "i" or "a" before the spelled word is a word of its own
    lead = ""
    if run[0] in "ia" and run[1] == " " and len(_SEPARATORS.sub("", run)) > 3:
        lead, run = run[:2], run[2:]
    # "k.i.l.l m.y.s.e.l.f": with dots or dashes between letters a space ends a word; with single spaces
    # between letters, a double space does
    words = re.split(r"\s+" if re.search(r"[.\-_*]", run) else r"\s{2,}", run)
    return lead + " ".join(_SEPARATORS.sub("", word) for word in words)


def normalise(text: Text) -> Text:
    """Lower-case ASCII with spelled-out words joined, leetspeak and chat abbreviations expanded."""
    text = _fold_characters(text)
    text = text.replace("`", "'")
    text = _SPELLED_OUT.sub(_join_spelled_out, text)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)], text)
    text = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    text = _REPEATS.sub(r"\1\1", text)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)], text)
    text = _NO_X_OR_Y.sub(r"\1 \2 \3 \1 \4", text)
    text = _DICTATED.sub(lambda m: _DICTATED_MARKS[m.group(1)], text)
    text = _ELLIPSIS_BETWEEN_WORDS.sub(" ", text)
    text = _LINE_BREAK.sub(". ", text)
    text = _BAR.sub(". ", text)
    text = _SLASHED_WORDS.sub(" / ", text)
    return _SPACES.sub(" ", text).strip()


# gasped words ("can't...breathe...help") are one sentence, not one sentence a word; so is a "won't" or
# "can't" and what follows it ("bleeding... won't... stop"), but not "can't think straight... left arm numb"
_ELLIPSIS_BETWEEN_WORDS = re.compile(r"(?<=[a-z'])\.{2,}(?=[a-z])|(?:(?<=\bwon't)|(?<=\bcan't)|(?<=\bdon't)|(?<=\bisn't)|(?<=\bnot)|(?<=\bwont)|(?<=\bcant))\.{2,}\s*(?=[a-z])")
# "can't sleep | can't eat | bought the rope today": parts split by bars are sentences, as lines are
_BAR = re.compile(r"\s*\|+\s*")
# a line of its own is a sentence of its own ("I CAN'T" on one line does not negate "going to end it" on the next)
_LINE_BREAK = re.compile(r"(?<![.!?,;:\n])\s*\n+\s*")
# "muscular/anxiety", "and/or": two words, so each is read
_SLASHED_WORDS = re.compile(r"(?<=[a-z]{2})/(?=[a-z]{2})")


# voice typing writes the punctuation it was told: "my chest is tight comma my arm is numb full stop"; a
# sentence ends there, so what a cue says of one sentence does not reach the next
_DICTATED_MARKS = {"comma": ", ", "full stop": ". ", "question mark": "? ", "exclamation mark": "! ",
                   "exclamation point": "! ", "new line": ". ", "new paragraph": ". "}
_DICTATED = re.compile(r"\s+(" + "|".join(_DICTATED_MARKS) + r")\b")


# A word is fixed towards a rule word only if that word is this much more frequent in English (log
# probability, spaCy's word frequencies): "pregant" -> "pregnant" (6.8), but "stubbed" stays (2.8 from "stabbed").
MORE_LIKELY_BY = 4.0
# "runnin" -> "running" needs less: dropping a g is a spelling, not an accident of typing.
G_DROPPED_MORE_LIKELY_BY = 2.0
UNSEEN = -25.0  # log probability of a word spaCy's table does not have
COMMON_WORD = -15.0  # a word at least this frequent is never changed


class Spelling:
    """Fixes dropped g's ("bleedin", "swellin") and one-letter typos ("bleding", "pregant") of the given words
    (the words the rules look for; addons/spelling.py: the training data's words), the way a noisy-channel
    speller does: only towards a much more frequent word."""

    def __init__(self, rule_words: Iterable[Text], counts: Optional[Dict[Text, int]] = None) -> None:
        """`counts`: how often each word is used where the speller works (the training data); between typos'
        candidates the more used one wins ("masage": "massage", not the commoner English "manage")."""
        self.log_probability = _word_log_probabilities()
        self.counts = counts or {}
        targets = {w for w in rule_words if len(w) >= 5 and w.isalpha()}
        # every target under each one-letter deletion of it: a typo one edit away shares a key with it
        by_deletion: Dict[Text, Set[Text]] = {}
        for word in targets:
            for key in _deletions(word) | {word}:
                by_deletion.setdefault(key, set()).add(word)
        # tuples, not sets: tens of thousands of keys, held for the life of the server
        self.by_deletion: Dict[Text, Tuple[Text, ...]] = {key: tuple(sorted(words)) for key, words in by_deletion.items()}

    def fix(self, text: Text) -> Text:
        return _WORD.sub(lambda m: self.fix_word(m.group(0)), text)

    def fix_word(self, word: Text) -> Text:
        """A lower-case word, fixed or as it was."""
        if len(word) < 5 or "'" in word:
            return word
        seen = self.log_probability.get(word, UNSEEN)
        if word.endswith("in") and self.log_probability.get(word + "g", UNSEEN) - seen >= G_DROPPED_MORE_LIKELY_BY:
            return word + "g"
        if seen > COMMON_WORD:
            return word  # a common word is what it says, even one letter from a rule word ("groin")
        candidates = set().union(*(self.by_deletion.get(key, ()) for key in _deletions(word) | {word}))
        candidates = {target for target in candidates if target != word and _one_edit_apart(word, target)}
        if not candidates:
            return word
        best = max(sorted(candidates), key=lambda target: (self.counts.get(target, 0), self.log_probability.get(target, UNSEEN)))
        return best if self.log_probability.get(best, UNSEEN) - seen >= MORE_LIKELY_BY else word


_WORD = re.compile(r"[a-z']+")


def _one_edit_apart(word: Text, target: Text) -> bool:
    """One letter added, dropped or changed, or two neighbours swapped (Damerau-Levenshtein distance 1)."""
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        differences = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        return len(differences) == 1 or (
            len(differences) == 2 and differences[1] == differences[0] + 1
            and word[differences[0]] == target[differences[1]] and word[differences[1]] == target[differences[0]]
        )
    shorter, longer = sorted((word, target), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


_TABLE_ENTRY = re.compile(r'^\s*"([a-z]{5,})": ?(-?[0-9.e-]+),?$', re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _word_log_probabilities() -> Dict[Text, float]:
    """English word frequencies from spacy-lookups-data (log probabilities), only for what `fix_word` can
    look up: lowercase words of five letters or more (read once per process: the safety rules and the
    classifiers' speller share it), very rare ones left out. Read line by line from the
    text (one entry a line), not with json.load: the whole table as a dict would cost 120 MB of the
    server's memory for good."""
    import gzip
    import os

    import spacy_lookups_data

    path = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data", "en_lexeme_prob.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as file:
        text = file.read()
    return {word: p for word, p in ((m.group(1), float(m.group(2))) for m in _TABLE_ENTRY.finditer(text)) if p > -18.0}


def _deletions(word: Text) -> set:
    return {word[:i] + word[i + 1:] for i in range(len(word))}
