"""Takes the wrapping off a question ("Good afternoon. I would be grateful if you could explain how massage
helps ...", "I've heard that massage ..."), so the classifiers read the question itself.

Formal letters, polite requests and hearsay put many words around a short question; the classifiers, which
weigh every word, were then unsure and asked back, or read the politeness as a personal request. The same
rewriting runs on the training data, so a topic's phrasings and a wrapped question look alike. Only
greetings, sign-offs, request formulas and "I heard (that)" at the start of a sentence or clause are taken off; the
safety layer keeps reading the visitor's own words (FULL_TEXT).
"""
from __future__ import annotations

import re
from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from addons.message_limit import VisitorTextRewriter

# the start of the message, of one of its sentences or clauses
_START = r"(?:^|(?<=[.!?,;]\s)|(?<=\band\s))"
_GREETING = (r"(?:hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening|day)"
             r"|dear (?:sir or madam|sir/madam|sir|madam|team|all|doctor|therapist)|to whom it may concern)\b"
             r"(?: there| team| all| folks)?\s*[,.!:;-]*\s*")
_REQUEST_VERB = r"(?:explain|tell me|advise|outline|let me know|clarify|describe|confirm|say|share)"
_QUESTION_AFTER = r"(?=\s*(?:whether|if|about|what|how|why|when|which|who|where|is|are|does|do|can)\b)"
_REQUEST = (
    r"(?:(?:i'd|we'd|(?:i |we )?would) (?:be (?:very |most )?(?:grateful|obliged|thankful)|(?:really )?appreciate it)"
    rf"(?: if you (?:could|would|can))?(?: kindly| please)?(?: {_REQUEST_VERB})?"
    r"|(?:i'd|(?:i )?would|i) (?:like|love|want|wanted) to (?:know|ask|find out|understand|enquire|inquire)"
    r"|i am writing to (?:enquire|inquire|ask|find out)(?: about)?"
    r"|i(?: was|'m| am) (?:wondering|hoping|curious)(?: to know)?"
    # "could you tell me a joke" is the request itself: only a question after it is unwrapped
    rf"|(?:(?:could|can|would) you (?:kindly |please )?|please ){_REQUEST_VERB}(?: to me)?{_QUESTION_AFTER}"
    r")(?: whether| if| about)?\s*[,:]?\s*"
)
_HEARSAY = (r"(?:i(?:'ve| have)? (?:heard|read)(?: somewhere| online)?|someone (?:told me|said)|i was told"
            r"|(?:a|my) (?:friend|mate|colleague|coworker|sister|brother|mum|mom|dad) (?:told me|said|says|reckons)"
            r"|apparently|they say|people say)(?: that)?\s*[,:]?\s*")
_SIGN_OFF = (r"\s*(?:(?:many )?thanks?(?: you)?(?: (?:so|very) much)?(?: in advance)?"
             r"|(?:kind|best|warm|many) regards(?:,?\s*\w+)?|yours (?:sincerely|faithfully)(?:,?\s*\w+)?)\s*[.!]*\s*$")

_OPENING = re.compile(_START + rf"(?:{_GREETING})+", re.IGNORECASE)
_WRAPPER = re.compile(_START + rf"(?:{_REQUEST}|{_HEARSAY})", re.IGNORECASE)
_CLOSING = re.compile(_SIGN_OFF, re.IGNORECASE)


# what is left must be a request of its own: "hi again", "hello friend" and "thanks so much" are greetings
# and thanks, not wrapping
MIN_WORDS_LEFT = 3


def unwrap(text: Text) -> Text:
    """The question without its greeting, request formula, hearsay or sign-off; the text itself if less
    than a request would be left."""
    stripped = _CLOSING.sub("", _WRAPPER.sub("", _OPENING.sub("", text))).strip()
    return stripped if len(re.findall(r"\w+", stripped)) >= MIN_WORDS_LEFT else text


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class RequestFraming(VisitorTextRewriter):
    """After ShorthandExpander (so "pls" reads "please"), before DomainSpelling and SpacyNLP."""

    def rewrite(self, text: Text) -> Text:
        return unwrap(text)
