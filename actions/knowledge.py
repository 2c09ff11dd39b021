"""The clinic's articles (knowledge/): the passage of an article an answer was written from.

"Tell me more" gives that passage verbatim with its title, so a longer answer is still only what the
clinic's own article says.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, NamedTuple, Sequence, Set, Text

import yaml

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
SOURCE_LINE = "\n\nSource: "
MIN_PARAGRAPH_WORDS = 8  # shorter lines are titles and headings


class Passage(NamedTuple):
    text: Text
    title: Text
    share: float  # of the answer's words that are in this passage


@lru_cache(maxsize=None)
def sources() -> Dict[Text, Dict[Text, Text]]:
    return yaml.safe_load((KNOWLEDGE / "sources.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def paragraphs(key: Text) -> List[Text]:
    """The article's paragraphs (one per line), without its title and headings (short lines)."""
    lines = (KNOWLEDGE / sources()[key]["file"]).read_text(encoding="utf-8").splitlines()
    return [" ".join(line.split()) for line in lines if len(line.split()) >= MIN_PARAGRAPH_WORDS]


def words(text: Text) -> Set[Text]:
    """Content words, roughly stemmed: enough to tell which paragraph an answer paraphrases."""
    return {word.rstrip("s") for word in re.findall(r"[a-z]{4,}", text.lower())}


def answer_body(answer: Text) -> Text:
    """An FAQ answer without its "Source: ..." line."""
    return answer.split(SOURCE_LINE)[0]


def passage_for(answer: Text, source_keys: Sequence[Text]) -> Passage:
    """The paragraph of the cited articles that shares most of the answer's words."""
    wanted = words(answer_body(answer))
    candidates = [
        Passage(paragraph, sources()[key]["title"], len(wanted & words(paragraph)) / max(len(wanted), 1))
        for key in source_keys for paragraph in paragraphs(key)
    ]
    return max(candidates, key=lambda passage: passage.share)
