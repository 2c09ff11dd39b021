"""The small phrase language of the safety rule files, compiled to spaCy Matcher patterns on lemmas.

`chest *3 pain|pressure` is "chest", up to three other words, then "pain" or "pressure"; see the header of
addons/safety/red_flags.yml for the whole syntax. Each word is matched by its lemma, so one spelling in
the file covers "pain"/"pains" and "bleed"/"bleeding"/"bled" in a message.
"""
from __future__ import annotations

import itertools
import re
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Text

from spacy.language import Language
from spacy.tokens import Token

Pattern = List[Dict[Text, Any]]
Alternative = List[Text]  # the tokens of one alternative ("can't" -> ["ca", "n't"])

# A gap never crosses the end of a sentence.
_GAP_TOKEN: Dict[Text, Any] = {"TEXT": {"NOT_IN": [".", "!", "?", ";", "\n"]}}
_NUMBER_WORDS = {
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "dozens": 24,
}
MANY = "many"
# words a rule means in their own form only: "done" ("I'm done") is no "do" or "did" ("the note didn't say")
OWN_FORM_ONLY = {"done"}


def _is_many(token: Token) -> bool:
    """A count of six to 500: "30", "20+", "twenty", "a dozen"."""
    text = token.lower_.rstrip("+x")
    if text.isdigit():
        return 6 <= int(text) <= 500  # a count of pills, not a year ("in 2020")
    return _NUMBER_WORDS.get(text, 0) >= 6


if not Token.has_extension(MANY):
    Token.set_extension(MANY, getter=_is_many)


class PhraseCompiler:
    """Turns phrases into Matcher patterns, using `nlp` to tokenise and lemmatise the words written."""

    def __init__(self, nlp: Language, lists: Mapping[Text, Text], exact: bool = False) -> None:
        self.nlp = nlp
        self.lists = dict(lists)
        # exact: match the words as written, not their lemmas ("had" must not match "having")
        self.exact = exact

    def patterns(self, phrase: Text) -> List[Pattern]:
        slots = [self._slot(word) for word in phrase.split()]
        return [list(itertools.chain.from_iterable(choice)) for choice in itertools.product(*slots)]

    def all_patterns(self, phrases: Iterable[Text]) -> List[Pattern]:
        return [pattern for phrase in phrases for pattern in self.patterns(phrase)]

    def _slot(self, word: Text) -> List[Pattern]:
        """The token sequences one word of a phrase may stand for."""
        if re.fullmatch(r"\*\d+", word):
            # one pattern, not one per gap length: a pattern costs compile time and memory at start-up
            return [[{**_GAP_TOKEN, "OP": "?"}] * int(word[1:])]
        if word == "+many":
            return [[{"_": {MANY: True}}]]
        if word.startswith("~"):
            return [[{"LOWER": {"REGEX": word[1:]}}]]
        optional = word.startswith("?")
        word = word.lstrip("?")
        exact = self.exact or word.startswith("=")
        word = word.lstrip("=")
        words = [w for part in word.split("|") for w in (self.lists[part[1:]].split("|") if part[:1] == "$" else [part])]
        choices = self._alternatives(words, exact)
        if optional and all(len(choice) == 1 for choice in choices):
            return [[{**choice[0], "OP": "?"} for choice in choices]] if len(choices) == 1 else choices + [[]]
        return choices + [[]] if optional else choices

    def _alternatives(self, words: Sequence[Text], exact: bool) -> List[Pattern]:
        attribute = "LOWER" if exact else "LEMMA"
        single: set = set()
        sequences: List[Pattern] = []
        for word in words:
            if word in OWN_FORM_ONLY:
                sequences.append([{"LOWER": word}])
                continue
            tokens = self._tokens(word.replace("_", " "), exact)
            if len(tokens) == 1:
                single |= tokens[0]
            else:
                sequences.append([{attribute: {"IN": sorted(forms)}} for forms in tokens])
        if single:
            sequences.insert(0, [{attribute: {"IN": sorted(single)}}])
        return sequences

    def _tokens(self, text: Text, exact: bool) -> List[set]:
        """For each token of `text`: the spellings (exact) or lemmas it may have in a message."""
        doc = self.nlp(text.lower())
        if exact:
            return [{token.lower_} | self._contraction_forms(token) for token in doc]
        return [{token.lower_, token.lemma_} | self._contraction_forms(token) for token in doc]

    @staticmethod
    def _contraction_forms(token: Token) -> set:
        # "n't" is "not" after normalising; "ca"/"wo" are "can"/"will" before it
        return {"n't": {"not"}, "not": {"n't"}, "ca": {"can"}, "wo": {"will"}}.get(token.lower_, set())
