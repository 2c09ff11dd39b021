"""The regex red-flag patterns this project used before the safety layer (addons/safety), kept unchanged
only so that `make bench` can show old and new side by side on the same blind sets. Not used by the bot.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Text, Tuple

# kind -> patterns. "self_harm" is answered with the crisis line, every other kind with the emergency number.
RED_FLAG_PATTERNS: Dict[Text, List[Text]] = {
    "self_harm": [
        r"\bsuicid\w*",
        r"\b(kill|hurt|harm|cut|cutt|hang)(ing|s)? (my|him|her|them|your) ?sel(f|ves)\b",
        r"\bself[- ]?harm\w*",
        r"\b(want|wants|wanna|going|plan\w*|ready) (to )?(die|end (it|my life|everything))\b",
        r"\bending it all\b|\bend it all\b",
        r"\bno point (in )?(living|going on|being alive)\b",
        r"\bend(ing)? (my|his|her|their) (own )?li(fe|ves)\b",
        r"\btake my (own )?life\b",
        r"\b(don'?t|do not|no longer) want to (live|be alive|wake up)\b",
        r"\bbetter off dead\b",
        r"\bno reason to (live|keep living|go on)\b",
        r"\b(don'?t|can'?t|do not|cannot) see (a|any) (reason|point) (to|in) (keep |go on )?(living|live|going on)\b",
    ],
    "overdose": [
        r"\bover ?dos\w*",
        r"\b(took|taken|swallowed|ate) (too many|a lot of|a whole (bottle|pack)|all (my|the|of my)|an entire)\b",
        r"\btoo many (pills|tablets|painkillers|meds)\b",
        r"\bpoison(ed|ing)\b",
    ],
    "cardiac": [
        r"\bchest (pain|pian|pains|pressure|tightness|hurts?|is (tight|hurting|crushing))\b",
        r"\bclutching (my|his|her|their) chest\b",
        r"\b(pain|pressure|tightness|crushing|squeezing) (in|on|across) (my |his |her |the )?chest\b",
        r"\bheart attack\b",
        r"\bcardiac arrest\b",
        r"\bpain (spreading|going|radiating) (down|to|into) (my |his |her )?(left )?(arm|jaw)\b",
    ],
    "stroke": [
        r"\bstroke\b(?! (my|the|of|a|his|her) )",
        r"\bface (is )?(droop|drooping|drooped|numb|fallen)\w*",
        r"\bdrooping (face|mouth|smile)\b",
        r"\bslurr(ed|ing)\b",
        r"\bface (looks |is )?(lopsided|uneven|crooked)\b",
        r"\b(words (come|came|are coming) out wrong|can'?t (talk|speak) properly|can'?t get (my|his|her) words out)\b",
        r"\b(arm|leg|hand) (suddenly )?(went|goes|is|has gone) (weak|numb|limp|dead)\b",
        r"\bcan'?t (lift|raise|move) (my|his|her) (arm|leg)s?\b",
        r"\b(sudden(ly)?|can'?t|cannot) (\w+ )?(move|feel|lift) (my |his |her )?(left|right) (arm|leg|side)\b",
        r"\b(numb|weak|weakness|paralys\w*)( in| on)? (one|the (left|right)) side\b",
        r"\bone side of (my|his|her|the) (face|body)\b",
    ],
    "breathing": [
        r"\b(can'?t|cannot|can not|cant|unable to|struggling to|hard to|trouble|difficulty|problems?) ?(\w+ )?breath(e|ing)?\b",
        r"\b(short(ness)? of|out of|gasping for|struggling for) breath\b|\bgasping\b",
        r"\bcatch (my|his|her|their) breath\b|\blips (are|look|turning) blue\b",
        r"\b(choking|suffocating|throat (is )?(closing|swelling))\b",
        r"\b(severe|bad) allergic reaction\b|\b(face|tongue|lips) (is |are )?swelling\b",
        r"\bnot breathing\b|\bstopped breathing\b|\bturning blue\b",
        r"\b(can'?t|cannot|can not) get (any |enough )?air\b",
    ],
    "severe_injury": [
        r"\b(heavy|severe|serious|uncontroll\w+|lots? of|won'?t stop) bleed\w*|\bbleeding (heavily|badly|a lot|won'?t stop|profusely)\b",
        r"\bbone (is )?(sticking|poking) (out|through)\b|\bcompound fracture\b|\bbroke(n)? (my |his |her )?(neck|back|skull)\b",
        r"\bblood everywhere\b|\bgushing\b|\bbent the wrong way\b|\bsevere(ly)? injur\w*|\b(badly|seriously) (hurt|injured)\b",
        r"\bcan'?t (move|feel) (my|his|her) legs\b",
        r"\b(passed|passing|blacked|knocked) out\b|\bunconscious\b|\bunresponsive\b|\bcollapsed\b|\bfainted\b",
        r"\bhit by a (car|truck|bus)\b",
        r"\bseizure\b|\bconvuls\w*",
        r"\bambulance\b|\b(911|999|112)\b|\bemergency\b",
        r"\banaphyla\w*",
    ],
    "blood_clot": [
        r"\b(swollen|swelling|hot|warm|red)\b[^.?!]{0,40}\b(leg|calf|calves)\b[^.?!]{0,80}\b(breath\w*|chest|gasping|air)\b",
        r"\b(leg|calf)\b[^.?!]{0,40}\b(swollen|swelling|hot|warm)\b[^.?!]{0,80}\b(breath\w*|chest|gasping|air)\b",
        r"\b(breath\w*)\b[^.?!]{0,80}\b(swollen|swelling|hot|warm)\b[^.?!]{0,40}\b(leg|calf)\b",
        r"\bpulmonary embolism\b",
    ],
}



def _compile(pattern: Text) -> "re.Pattern[Text]":
    # A space in a pattern matches any run of white space; " ?" any optional run.
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"), re.IGNORECASE)


_COMPILED = {kind: [_compile(p) for p in patterns] for kind, patterns in RED_FLAG_PATTERNS.items()}


def _normalise(text: Text) -> Text:
    # Curly apostrophes are common on phones; patterns assume plain ones. Keeps the length, so spans still fit.
    return text.replace("\u2019", "'").replace("\u2018", "'")


def find_red_flag(text: Text) -> Optional[Tuple[Text, int, int]]:
    """(kind, start, end) of the first red flag in `text`, or None. Self-harm is checked first: it needs the
    crisis line. Normalising keeps the length, so the span points into the original text."""
    normalised = _normalise(text)
    for kind, patterns in _COMPILED.items():
        for pattern in patterns:
            match = pattern.search(normalised)
            if match:
                return kind, match.start(), match.end()
    return None


def detect_red_flag(text: Text) -> Optional[Text]:
    """The kind of red flag in `text`, or None."""
    found = find_red_flag(text)
    return found[0] if found else None
