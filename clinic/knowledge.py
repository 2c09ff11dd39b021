"""The clinic's articles (knowledge/): their titles, the line that cites them, and the passage of an article an
answer was written from.

An FAQ answer names its articles in its metadata (`sources`, keys of knowledge/sources.yml); the reply gets
the "Source: <title>" line from there (`cite`), on the Rasa server (addons/clinic_responses.py). "Tell me
more" gives the passage verbatim with its title, so a longer answer is still only what the clinic's own
article says.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, NamedTuple, Sequence, Set, Text, Tuple

from clinic.paths import KNOWLEDGE, read_yaml

SOURCE_PREFIX = "Source: "
MIN_PARAGRAPH_WORDS = 8  # shorter lines are titles and headings


class Passage(NamedTuple):
    text: Text
    title: Text
    share: float  # of the answer's words that are in this passage


@lru_cache(maxsize=None)
def sources() -> Dict[Text, Dict[Text, Text]]:
    return read_yaml(KNOWLEDGE / "sources.yml")


@lru_cache(maxsize=None)
def paragraphs(key: Text) -> List[Text]:
    """The article's paragraphs (one per line), without its title and headings (short lines)."""
    lines = (KNOWLEDGE / sources()[key]["file"]).read_text(encoding="utf-8").splitlines()
    return [" ".join(line.split()) for line in lines if len(line.split()) >= MIN_PARAGRAPH_WORDS]


def words(text: Text) -> Set[Text]:
    """Content words, roughly stemmed: enough to tell which paragraph an answer paraphrases."""
    return {word.rstrip("s") for word in re.findall(r"[a-z]{4,}", text.lower())}


def titles(keys: Sequence[Text]) -> List[Text]:
    return [sources()[key]["title"] for key in keys]


def cite(text: Text, source_titles: Sequence[Text]) -> Text:
    """The reply: the text, then a paragraph naming its articles."""
    return f"{text}\n\n{SOURCE_PREFIX}{' / '.join(source_titles)}" if source_titles else text


def uncited(reply: Text) -> Tuple[Text, List[Text]]:
    """A reply's text without its "Source: ..." paragraph, and the titles that paragraph names."""
    paragraphs = [p for p in reply.split("\n\n") if p.strip()]
    cited = [t for p in paragraphs if p.startswith(SOURCE_PREFIX) for t in p[len(SOURCE_PREFIX):].split(" / ")]
    return "\n\n".join(p for p in paragraphs if not p.startswith(SOURCE_PREFIX)), cited


def passage_for(answer: Text, source_keys: Sequence[Text]) -> Passage:
    """The paragraph of the cited articles that shares most of the answer's words."""
    wanted = words(answer)
    candidates = [
        Passage(paragraph, sources()[key]["title"], len(wanted & words(paragraph)) / max(len(wanted), 1))
        for key in source_keys for paragraph in paragraphs(key)
    ]
    return max(candidates, key=lambda passage: passage.share)
